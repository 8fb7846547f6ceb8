import ArgumentParser
import CampaignSupport
import Foundation
import StrataEngine
@_spi(Testing) import StrataGraph
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
        var loop = CampaignLoop(name: "kill-campaign (graph)", unit: "runs", seed: seed, budget: budget, iteration: iteration)
        var finished = 0
        var totalAcknowledged = 0
        var totalAttempted = 0
        var insideRebuild = 0
        CampaignOutput.progress("kill-campaign (graph workload): seed \(seed)")
        let root = try TemporaryDirectory(prefix: "strata-kill-graph")
        defer { root.remove() }
        try loop.run(progress: { "\($0) kills (\(finished) children finished first), \(Int(budget.elapsed)) s" }) { iterationSeed, kills in
            var random = SeededRandom(seed: iterationSeed)
            // Half within the first 100 ms (start, the store's creation, first commits), half later:
            // a graph child needs longer than a key-value one to reach its steady state. One kill
            // in three aims at an index rebuild instead: 0 to 3 ms after the child says it starts one.
            let aimAtRebuild = Int.random(in: 0..<3, using: &random) == 0
            let delay = aimAtRebuild ? Int.random(in: 0...3_000, using: &random)
                : Bool.random(using: &random)
                ? Int.random(in: 0...100_000, using: &random) : Int.random(in: 100_000...1_000_000, using: &random)
            let path = root.appending("db-\(kills)")
            let outcome: (acknowledged: Int, attempted: Int, exitedByItself: Bool)
            do {
                let child = try KilledChild.run(
                    arguments: ["--workload", "graph", "--child-seed", "\(iterationSeed)", "--child-directory", path]
                        + (aimAtRebuild ? ["--child-flush-rebuild"] : []),
                    afterMicroseconds: delay, waitFor: aimAtRebuild ? "rebuild" : nil)
                let (acknowledged, attempted) = (child.last("ack"), child.last("at"))
                outcome = (acknowledged, max(attempted, acknowledged), child.exitedByItself)
            } catch {
                throw CampaignFailure("could not run the child: \(error)")
            }
            kills += 1
            if outcome.exitedByItself { finished += 1 }
            totalAcknowledged += outcome.acknowledged
            totalAttempted += outcome.attempted
            let (failure, recoveredInRebuild) = Self.check(
                seed: iterationSeed, directory: path, acknowledged: outcome.acknowledged, attempted: outcome.attempted)
            if recoveredInRebuild { insideRebuild += 1 }
            if let failure {
                CampaignOutput.progress("""
                    VIOLATION (kill-campaign --workload graph seed \(seed), iteration seed \(iterationSeed), killed after \(delay) µs\(aimAtRebuild ? " from a rebuild's start" : ""), \
                    acknowledged through commit \(outcome.acknowledged), commit \(outcome.attempted) attempted):
                      \(failure)
                    rerun: kill-campaign --workload graph --seed \(seed) --iteration \(iterationSeed)   (the kill moment varies)
                    the database directory is kept at \(path).kept
                    """)
                _ = try? FileManager.default.copyItem(atPath: path, toPath: path + ".kept")
                return true
            }
            try? FileManager.default.removeItem(atPath: path)
            return false
        }
        let kills = loop.units
        CampaignOutput.progress(
            "  \(kills) kills, \(finished) children finished before the kill, mean acknowledged commit index \(kills > 0 ? totalAcknowledged / kills : 0), "
                + "mean attempted \(kills > 0 ? totalAttempted / kills : 0) (the store's creation ends at \(GraphWorkloadRunner.storeCreationStates)), "
                + "\(insideRebuild) recovered inside an index rebuild")
        loop.summary(violations: 0)
    }

    /// The child: runs the workload without reading anything back (its states come from the
    /// parent's reference run), reporting each commit before it is made and each acknowledgement.
    /// With `flushDuringRebuild` (the kills aimed at a rebuild), the child flushes between the
    /// rebuild's batches so that they reach the files one by one.
    static func runChild(seed: UInt64, directory: String, flushDuringRebuild: Bool) {
        let say = KilledChild.say
        let workload = GraphWorkload(seed: seed, steps: childSteps)
        var runner = GraphWorkloadRunner(
            workload: workload, path: directory, fileSystem: PosixFileSystem(),
            reference: [ModelState](repeating: [:], count: 64 * childSteps))
        runner.onAttempt = { say("at \($0)") }
        runner.onAcknowledged = { say("ack \($0)") }
        runner.onRebuild = { _ in say("rebuild") }
        runner.flushDuringRebuild = flushDuringRebuild
        KilledChild.finish(runner.run())
    }

    /// Rebuilds the states of commits 0 through `attempted` and checks the killed child's directory.
    /// Also says whether the recovered commit is inside an index rebuild (its progress recorded).
    static func check(seed: UInt64, directory: String, acknowledged: Int, attempted: Int) -> (String?, Bool) {
        var inRebuild = false
        let failure = check(seed: seed, directory: directory, acknowledged: acknowledged, attempted: attempted, inRebuild: &inRebuild)
        return (failure, inRebuild)
    }

    static func check(seed: UInt64, directory: String, acknowledged: Int, attempted: Int, inRebuild: inout Bool) -> String? {
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
        let image: MemoryFileSystem
        do { image = try KilledChild.copy(directory: directory) } catch { return "could not copy the killed database: \(error)" }
        let posix = PosixFileSystem()
        // The real recovery, on the real file system.
        do {
            let configuration = WorkloadRunner.configuration(fileSystem: posix, segmentGCRatio: workload.segmentGCRatio)
            let db = try Database.open(at: directory, configuration: configuration)
            defer { try? db.close() }
            let (k, state) = try RecoveryCheck.matchState(db, history, what: "recovery after SIGKILL")
            inRebuild = state["graph.meta"]?[MemoryStore.rebuildProgressKey] != nil
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
