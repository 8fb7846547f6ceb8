import ArgumentParser
import CampaignSupport
import StrataEngine
import StrataTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Simulated power loss: runs seeded workloads on a ``CrashSimulatingFileSystem``, cuts the
/// power after a chosen number of mutating file-system calls, and checks every crash image
/// (one per ``CrashMode``) against the model of acknowledged commits.
@main
struct CrashCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-campaign",
        abstract: "Simulated power loss at random write and sync points, checked against a model.")

    @Option(help: "The campaign seed (default: from the clock). The same seed reruns the same campaign.")
    var seed: UInt64?
    @Option(help: "Stop after this many crash points (one crash image checked in one mode).")
    var count: Int?
    @Option(help: "Stop after this many seconds.")
    var seconds: Double?
    @Option(help: "Crash points taken per workload (each checked in every crash mode).")
    var pointsPerWorkload = 4
    @Option(help: "Rerun one iteration: its own seed (printed with a violation).")
    var iteration: UInt64?

    @Option(help: "With --iteration: check only this crash point (operations before the crash).")
    var point: Int?
    @Option(help: "With --point: check only this crash mode (dropUnsynced, keepPrefix, tornGarbage, reorderAcrossFiles).")
    var mode: String?

    static let path = "/db"

    mutating func run() throws {
        CampaignOutput.ensureDeterministicHashing()
        let seed = seed ?? CampaignOutput.freshSeed()
        let budget = CampaignBudget(count: count ?? (seconds == nil ? 10000 : nil), seconds: seconds)
        var rng = SeededRandom(seed: seed)
        var points = 0
        var workloads = 0
        var lastReport = 0.0
        CampaignOutput.progress("crash-campaign: seed \(seed)")
        while budget.allows(points) {
            let iterationSeed = iteration ?? rng.next()
            var iterationRandom = SeededRandom(seed: iterationSeed)
            let workload = Workload(seed: iterationSeed, steps: Int.random(in: 20...160, using: &iterationRandom))
            let total = Self.countOperations(workload.steps, workload)
            workloads += 1
            for _ in 0..<pointsPerWorkload {
                var point = Int.random(in: 0..<total, using: &iterationRandom)
                if let only = self.point { point = only }
                for mode in CrashMode.allCases where self.mode == nil || self.mode == mode.description {
                    points += 1
                    if let failure = Self.check(workload.steps, workload, point: point, mode: mode) {
                        Self.report(seed: seed, iterationSeed: iterationSeed, workload: workload, point: point, mode: mode, failure: failure)
                        CampaignOutput.summary("crash-campaign: \(points) crash points, 1 violations, seed \(seed)")
                        throw ExitCode(1)
                    }
                }
            }
            if budget.elapsed - lastReport >= 5 {
                lastReport = budget.elapsed
                CampaignOutput.progress(
                    "  \(points) crash points, \(workloads) workloads, \(Int(budget.elapsed)) s")
            }
            if iteration != nil { break }
        }
        CampaignOutput.summary("crash-campaign: \(points) crash points, 0 violations, seed \(seed)")
    }

    /// Runs `steps` and a final close without crashing; returns how many mutating calls they make.
    static func countOperations(_ steps: [Workload.Step], _ workload: Workload) -> Int {
        let fileSystem = CrashSimulatingFileSystem()
        var trial = workload
        trial.steps = steps
        let outcome = WorkloadRunner(workload: trial, path: path, fileSystem: fileSystem).run()
        try? outcome.database?.close()
        return fileSystem.operationCount
    }

    /// Runs `steps` with the power cut after `point` mutating calls and checks the crash image
    /// taken in `mode`. Returns nil, or the violation.
    static func check(_ steps: [Workload.Step], _ workload: Workload, point: Int, mode: CrashMode) -> String? {
        let fileSystem = CrashSimulatingFileSystem()
        fileSystem.crashAfterOperations = point
        var trial = workload
        trial.steps = steps
        let outcome = WorkloadRunner(workload: trial, path: path, fileSystem: fileSystem).run()
        var history = outcome.history
        if let error = outcome.error {
            // Only the simulated power loss (or writes refused because of it) may stop the run.
            guard let strata = error as? StrataError, strata.code == .ioFailure || strata.code == .writesDisabled else {
                return "step \(outcome.failedStep ?? -2) failed with an error other than the power loss: \(error)"
            }
        } else if let db = outcome.database {
            do {
                try db.close()
                history.acknowledgeAll()
            } catch {
                guard let strata = error as? StrataError, strata.code == .ioFailure || strata.code == .writesDisabled else {
                    return "close failed with an error other than the power loss: \(error)"
                }
            }
        }
        var imageRandom = SeededRandom(seed: workload.seed &+ UInt64(point) &* 4099 &+ UInt64(CrashMode.allCases.firstIndex(of: mode)!))
        let image = fileSystem.crashImage(using: &imageRandom, mode: mode)
        if getenv("STRATA_CAMPAIGN_VERBOSE") != nil {
            CampaignOutput.progress("failed step \(outcome.failedStep ?? -2): \(outcome.error.map { "\($0)" } ?? "none"); acknowledged \(history.acknowledged) of \(history.states.count - 1)")
            CampaignOutput.progress("pending: \(fileSystem.pendingOperations)")
        }
        return RecoveryCheck.check(
            image: image, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, using: &imageRandom)
    }

    static func report(seed: UInt64, iterationSeed: UInt64, workload: Workload, point: Int, mode: CrashMode, failure: String) {
        CampaignOutput.progress("""
            VIOLATION (crash-campaign seed \(seed), iteration seed \(iterationSeed), crash after \(point) operations, mode \(mode)):
              \(failure)
            rerun: crash-campaign --seed \(seed) --iteration \(iterationSeed)
            shrinking…
            """)
        let shrunk = Shrinker.shrink(workload.steps) { steps in
            let total = countOperations(steps, workload)
            guard total > 0 else { return false }
            var candidates = [min(point, total - 1)]
            let stride = max(1, total / 48)
            candidates += Swift.stride(from: 0, to: total, by: stride)
            return candidates.contains { check(steps, workload, point: $0, mode: mode) != nil }
        }
        var smallest = workload
        smallest.steps = shrunk
        CampaignOutput.progress("smallest reproducing operation list (\(shrunk.count) of \(workload.steps.count) steps, after creating trees \(Workload.treeNames)):\n\(smallest)")
    }
}
