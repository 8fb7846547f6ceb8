import ArgumentParser
import CampaignSupport
import Foundation
import StrataEngine
import StrataTestSupport
import Synchronization

/// Real process kills: spawns itself as a child that runs a seeded workload on the real file
/// system and reports each acknowledged durable commit on stdout; kills it with SIGKILL at a
/// random moment, reopens the directory and checks it against the model rebuilt from the seed.
@main
struct KillCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-campaign",
        abstract: "SIGKILL a child running a workload on the real file system; check what reopens.")

    @Option(help: "The campaign seed (default: from the clock). The same seed reruns the same workloads.")
    var seed: UInt64?
    @Option(help: "Stop after this many kills.")
    var count: Int?
    @Option(help: "Stop after this many seconds.")
    var seconds: Double?
    @Option(help: "Rerun one iteration: its own seed (printed with a violation).")
    var iteration: UInt64?
    @Option(help: "Where the children's databases go (default: the system temporary directory).")
    var directory: String?
    @Option(help: "The workload: kv (trees of keys and values) or graph (StrataGraph transactions).")
    var workload = "kv"
    @Option(help: .hidden) var childSeed: UInt64?
    @Option(help: .hidden) var childDirectory: String?
    @Flag(help: .hidden) var childFlushRebuild = false

    /// Steps in a child's workload: more than it can run before the latest kill.
    static let childSteps = 6000

    mutating func run() throws {
        CampaignOutput.ensureDeterministicHashing()
        guard workload == "kv" || workload == "graph" else { throw ValidationError("--workload is kv or graph") }
        if let childSeed, let childDirectory {
            if workload == "graph" {
                GraphKillCampaign.runChild(seed: childSeed, directory: childDirectory, flushDuringRebuild: childFlushRebuild)
            } else {
                Self.runChild(seed: childSeed, directory: childDirectory)
            }
            return
        }
        let seed = seed ?? CampaignOutput.freshSeed()
        let budget = CampaignBudget(count: count ?? (seconds == nil ? 100 : nil), seconds: seconds)
        if workload == "graph" {
            return try GraphKillCampaign(seed: seed, budget: budget, iteration: iteration).run()
        }
        var loop = CampaignLoop(name: "kill-campaign", unit: "runs", seed: seed, budget: budget, iteration: iteration)
        var finished = 0
        var totalAcknowledged = 0
        CampaignOutput.progress("kill-campaign: seed \(seed)")
        let root = try TemporaryDirectory(prefix: "strata-kill")
        defer { root.remove() }
        try loop.run(progress: { "\($0) kills (\(finished) children finished first), \(Int(budget.elapsed)) s" }) { iterationSeed, kills in
            var random = SeededRandom(seed: iterationSeed)
            // Mostly within the first 60 ms (open, first commits, first checkpoints); sometimes later.
            let delay = Int.random(in: 0..<10, using: &random) < 8
                ? Int.random(in: 0...60_000, using: &random) : Int.random(in: 60_000...600_000, using: &random)
            let path = root.appending("db-\(kills)")
            let outcome: (acknowledged: Int, exitedByItself: Bool)
            do {
                outcome = try Self.spawnAndKill(seed: iterationSeed, directory: path, afterMicroseconds: delay)
            } catch {
                throw CampaignFailure("could not run the child: \(error)")
            }
            kills += 1
            if outcome.exitedByItself { finished += 1 }
            totalAcknowledged += outcome.acknowledged
            if let failure = Self.check(seed: iterationSeed, directory: path, acknowledged: outcome.acknowledged) {
                CampaignOutput.progress("""
                    VIOLATION (kill-campaign seed \(seed), iteration seed \(iterationSeed), killed after \(delay) µs, \
                    acknowledged through commit \(outcome.acknowledged)):
                      \(failure)
                    rerun: kill-campaign --seed \(seed) --iteration \(iterationSeed)   (the kill moment varies)
                    the database directory is kept at \(path).kept
                    operations: the first steps of \(Workload(seed: iterationSeed, steps: Self.childSteps).description.prefix(4000))
                    """)
                _ = try? FileManager.default.copyItem(atPath: path, toPath: path + ".kept")
                return true
            }
            try? FileManager.default.removeItem(atPath: path)
            return false
        }
        let kills = loop.units
        CampaignOutput.progress(
            "  \(kills) kills, \(finished) children finished before the kill, mean acknowledged commit index \(kills > 0 ? totalAcknowledged / kills : 0)")
        loop.summary(violations: 0)
    }

    /// The child: runs the workload, writing `ack <index>` (unbuffered) after every commit
    /// acknowledged durable.
    static func runChild(seed: UInt64, directory: String) {
        let workload = Workload(seed: seed, steps: childSteps)
        var runner = WorkloadRunner(workload: workload, path: directory, fileSystem: PosixFileSystem())
        runner.onAcknowledged = { KilledChild.say("ack \($0)") }
        KilledChild.finish(runner.run())
    }

    /// Spawns the child, kills it after `delay` µs, and returns the last acknowledged index it reported.
    static func spawnAndKill(seed: UInt64, directory: String, afterMicroseconds delay: Int) throws -> (Int, Bool) {
        let child = try KilledChild.run(arguments: ["--child-seed", "\(seed)", "--child-directory", directory], afterMicroseconds: delay)
        return (child.last("ack"), child.exitedByItself)
    }

    /// Reopens the killed child's directory and checks it against the model.
    static func check(seed: UInt64, directory: String, acknowledged: Int) -> String? {
        let workload = Workload(seed: seed, steps: childSteps)
        var history = WorkloadRunner.simulate(workload)
        guard acknowledged < history.states.count else {
            return "the child acknowledged commit \(acknowledged) but the model has only \(history.states.count - 1)"
        }
        history.acknowledge(through: acknowledged)
        // A copy of the directory as the kill left it, for the crash-image checks below.
        let image: MemoryFileSystem
        do { image = try KilledChild.copy(directory: directory) } catch { return "could not copy the killed database: \(error)" }
        let posix = PosixFileSystem()
        // The real recovery, on the real file system.
        do {
            let configuration = WorkloadRunner.configuration(fileSystem: posix, segmentGCRatio: workload.segmentGCRatio)
            let db = try Database.open(at: directory, configuration: configuration)
            defer { try? db.close() }
            _ = try RecoveryCheck.matchState(db, history, what: "recovery after SIGKILL")
            _ = try db.verify()
        } catch {
            return "\(error)"
        }
        // The same directory image again through the full check (second crash, writes after).
        var random = SeededRandom(seed: seed &+ 1)
        return RecoveryCheck.check(
            image: image, path: "/db", history: history, segmentGCRatio: workload.segmentGCRatio, using: &random)
    }
}
