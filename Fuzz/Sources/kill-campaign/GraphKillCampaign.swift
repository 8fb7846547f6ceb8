import ArgumentParser
import CampaignSupport
import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport

/// `kill-campaign --workload graph`: a child runs a ``GraphWorkload`` on the real file system,
/// writing `at <index>` before each commit and `ack <index>` after each acknowledged durable one;
/// it is killed with SIGKILL at a random moment. The parent rebuilds the states of the commits
/// the child reached with a clean reference run of the same workload (in memory), reopens the
/// directory for real (engine state a commit at or after the acknowledged one, engine and graph
/// `verify`), then puts a copy of it through ``GraphRecoveryCheck``.
struct GraphKillCampaign {
    /// Steps in a child's workload: more than it can run before the latest kill.
    static let childSteps = 3000

    var seed: UInt64
    var budget: CampaignBudget
    var iteration: UInt64?

    func run() throws {
        var rng = SeededRandom(seed: seed)
        var kills = 0
        var finished = 0
        var totalAcknowledged = 0
        var totalAttempted = 0
        var lastReport = 0.0
        CampaignOutput.progress("kill-campaign (graph workload): seed \(seed)")
        let root = try TemporaryDirectory(prefix: "strata-kill-graph")
        defer { root.remove() }
        while budget.allows(kills) {
            let iterationSeed = iteration ?? rng.next()
            var random = SeededRandom(seed: iterationSeed)
            // Half within the first 100 ms (start, the store's creation, first commits), half later:
            // a graph child needs longer than a key-value one to reach its steady state.
            let delay = Bool.random(using: &random)
                ? Int.random(in: 0...100_000, using: &random) : Int.random(in: 100_000...1_000_000, using: &random)
            let path = root.appending("db-\(kills)")
            let outcome: (acknowledged: Int, attempted: Int, exitedByItself: Bool)
            do {
                outcome = try Self.spawnAndKill(
                    arguments: ["--workload", "graph", "--child-seed", "\(iterationSeed)", "--child-directory", path],
                    afterMicroseconds: delay)
            } catch {
                CampaignOutput.summary("kill-campaign (graph): \(kills) runs, 0 violations, seed \(seed)")
                throw CampaignFailure("could not run the child: \(error)")
            }
            kills += 1
            if outcome.exitedByItself { finished += 1 }
            totalAcknowledged += outcome.acknowledged
            totalAttempted += outcome.attempted
            if let failure = Self.check(
                seed: iterationSeed, directory: path, acknowledged: outcome.acknowledged, attempted: outcome.attempted)
            {
                CampaignOutput.progress("""
                    VIOLATION (kill-campaign --workload graph seed \(seed), iteration seed \(iterationSeed), killed after \(delay) µs, \
                    acknowledged through commit \(outcome.acknowledged), commit \(outcome.attempted) attempted):
                      \(failure)
                    rerun: kill-campaign --workload graph --seed \(seed) --iteration \(iterationSeed)   (the kill moment varies)
                    the database directory is kept at \(path).kept
                    """)
                _ = try? FileManager.default.copyItem(atPath: path, toPath: path + ".kept")
                CampaignOutput.summary("kill-campaign (graph): \(kills) runs, 1 violations, seed \(seed)")
                throw ExitCode.failure
            }
            try? FileManager.default.removeItem(atPath: path)
            if budget.elapsed - lastReport >= 5 {
                lastReport = budget.elapsed
                CampaignOutput.progress("  \(kills) kills (\(finished) children finished first), \(Int(budget.elapsed)) s")
            }
            if iteration != nil { break }
        }
        CampaignOutput.progress(
            "  \(kills) kills, \(finished) children finished before the kill, mean acknowledged commit index \(kills > 0 ? totalAcknowledged / kills : 0), "
                + "mean attempted \(kills > 0 ? totalAttempted / kills : 0) (the store's creation ends at \(GraphWorkloadRunner.storeCreationStates))")
        CampaignOutput.summary("kill-campaign (graph): \(kills) runs, 0 violations, seed \(seed)")
    }

    /// The child: runs the workload without reading anything back (its states come from the
    /// parent's reference run), reporting each commit before it is made and each acknowledgement.
    static func runChild(seed: UInt64, directory: String) {
        func say(_ text: String) {
            let line = Array((text + "\n").utf8)
            _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        }
        let workload = GraphWorkload(seed: seed, steps: childSteps)
        var runner = GraphWorkloadRunner(
            workload: workload, path: directory, fileSystem: PosixFileSystem(),
            reference: [ModelState](repeating: [:], count: 64 * childSteps))
        runner.onAttempt = { say("at \($0)") }
        runner.onAcknowledged = { say("ack \($0)") }
        let outcome = runner.run()
        if let error = outcome.error {
            CampaignOutput.progress("child: step \(outcome.failedStep ?? -2) failed: \(error)")
            Foundation.exit(3)
        }
        do {
            try outcome.database?.close()
        } catch {
            CampaignOutput.progress("child: close failed: \(error)")
            Foundation.exit(3)
        }
        runner.onAcknowledged(outcome.history.states.count - 1)
    }

    /// Spawns the child with `arguments`, kills it after `delay` µs, and returns the last
    /// acknowledged and the last attempted commit index it reported (complete lines only).
    static func spawnAndKill(arguments: [String], afterMicroseconds delay: Int) throws -> (Int, Int, Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let reader = pipe.fileHandleForReading
        let collected = DataBox()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            collected.set(reader.readDataToEndOfFile())
            drained.signal()
        }
        usleep(useconds_t(delay))
        let exitedByItself = !process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        drained.wait()
        if exitedByItself, process.terminationStatus != 0 {
            throw CampaignFailure("the child exited with status \(process.terminationStatus)")
        }
        var acknowledged = 0
        var attempted = 0
        for line in String(decoding: collected.get(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("ack "), let index = Int(line.dropFirst(4)) { acknowledged = max(acknowledged, index) }
            if line.hasPrefix("at "), let index = Int(line.dropFirst(3)) { attempted = max(attempted, index) }
        }
        return (acknowledged, max(attempted, acknowledged), exitedByItself)
    }

    /// Rebuilds the states of commits 0 through `attempted` and checks the killed child's directory.
    static func check(seed: UInt64, directory: String, acknowledged: Int, attempted: Int) -> String? {
        let workload = GraphWorkload(seed: seed, steps: childSteps)
        var runner = GraphWorkloadRunner(workload: workload, path: "/reference", fileSystem: MemoryFileSystem())
        runner.stopAfterStates = attempted + 1
        runner.verifyEvery = 0
        let reference = runner.run()
        if let error = reference.error { return "the reference run failed at step \(reference.failedStep ?? -2): \(error)" }
        try? reference.database?.close()
        guard attempted < reference.history.states.count else {
            return "the child attempted commit \(attempted) but the reference run made only \(reference.history.states.count - 1)"
        }
        var history = ModelHistory()
        for state in reference.history.states.dropFirst().prefix(attempted) { history.record(state) }
        history.acknowledge(through: acknowledged)
        // A copy of the directory as the kill left it, for the image checks below.
        let image = MemoryFileSystem()
        let posix = PosixFileSystem()
        do {
            if (try posix.kind(of: directory)) == .directory {
                try image.createDirectory("/db")
                for name in try posix.contentsOfDirectory(directory) {
                    let file = try posix.openFile(directory + "/" + name, create: false)
                    image.setContents(try file.readExactly(at: 0, count: Int(try file.length())), of: "/db/" + name)
                    try file.close()
                }
            }
        } catch {
            return "could not copy the killed database: \(error)"
        }
        // The real recovery, on the real file system.
        do {
            let configuration = WorkloadRunner.configuration(fileSystem: posix, segmentGCRatio: workload.segmentGCRatio)
            let db = try Database.open(at: directory, configuration: configuration)
            defer { try? db.close() }
            let (k, _) = try RecoveryCheck.matchState(db, history, what: "recovery after SIGKILL")
            _ = try db.verify()
            if k > GraphWorkloadRunner.storeCreationStates {
                let verification = try MemoryStore(database: db).verify()
                guard verification.isSound else {
                    return "graph verify after SIGKILL (commit \(k)): \(verification.problems.prefix(5))"
                }
            }
        } catch {
            return "\(error)"
        }
        var random = SeededRandom(seed: seed &+ 1)
        return GraphRecoveryCheck.check(
            image: image, path: "/db", history: history, segmentGCRatio: workload.segmentGCRatio, using: &random)
    }
}
