import ArgumentParser
import CampaignSupport
import StrataEngine
import StrataTestSupport

/// `crash-campaign --workload graph`: simulated power loss under a ``GraphWorkload``. Each
/// workload runs once cleanly as the reference (its state after every commit, the operation
/// count), then with the power cut at chosen points; every crash image (one per ``CrashMode``)
/// goes through ``GraphRecoveryCheck``.
struct GraphCrashCampaign {
    static let path = "/db"

    var seed: UInt64
    var budget: CampaignBudget
    var pointsPerWorkload: Int
    var iteration: UInt64?
    var point: Int?
    var mode: String?
    var readOnlyEvery: Int
    var bigBatchOneIn: Int

    func run() throws {
        var rng = SeededRandom(seed: seed)
        var points = 0
        var workloads = 0
        var commits = 0
        var bigBatches = 0
        var lastReport = 0.0
        CampaignOutput.progress("crash-campaign (graph workload): seed \(seed)")
        while budget.allows(points) {
            let iterationSeed = iteration ?? rng.next()
            var iterationRandom = SeededRandom(seed: iterationSeed)
            let workload = GraphWorkload(
                seed: iterationSeed, steps: Int.random(in: 20...120, using: &iterationRandom), bigBatchOneIn: bigBatchOneIn)
            let (states, total, cleanFailure) = Self.reference(workload)
            workloads += 1
            commits += states.count - 1
            if workload.hasBigBatch { bigBatches += 1 }
            if let cleanFailure {
                report(iterationSeed, workload, "no crash", cleanFailure)
                CampaignOutput.summary("crash-campaign (graph): \(points) crash points, 1 violations, seed \(seed)")
                throw ExitCode.failure
            }
            for _ in 0..<(workload.hasBigBatch ? 1 : pointsPerWorkload) {
                var point = Int.random(in: 0..<total, using: &iterationRandom)
                if let only = self.point { point = only }
                for mode in CrashMode.allCases where self.mode == nil || self.mode == mode.description {
                    points += 1
                    let modeIndex = UInt64(CrashMode.allCases.firstIndex(of: mode)!)
                    let readOnly = ReadOnlyCheck.sampled(iterationSeed &+ UInt64(point) &* 31 &+ modeIndex, every: readOnlyEvery)
                    if let failure = Self.check(workload, states: states, point: point, mode: mode, readOnly: readOnly) {
                        report(iterationSeed, workload, "crash after \(point) operations, mode \(mode)", failure)
                        CampaignOutput.summary("crash-campaign (graph): \(points) crash points, 1 violations, seed \(seed)")
                        throw ExitCode.failure
                    }
                }
            }
            if budget.elapsed - lastReport >= 5 {
                lastReport = budget.elapsed
                CampaignOutput.progress("  \(points) crash points, \(workloads) graph workloads, \(Int(budget.elapsed)) s")
            }
            if iteration != nil { break }
        }
        CampaignOutput.progress("  \(workloads) graph workloads (\(bigBatches) with a 48 MB batch), \(commits) commits in their reference runs; \(ReadOnlyCheck.tally.summary)")
        CampaignOutput.summary("crash-campaign (graph): \(points) crash points, 0 violations, seed \(seed)")
    }

    /// The clean run: the state after every commit, the mutating calls it and its close make,
    /// and what failed, if anything did (nothing may, without a crash).
    static func reference(_ workload: GraphWorkload) -> (states: [ModelState], operations: Int, failure: String?) {
        let fileSystem = CrashSimulatingFileSystem()
        let outcome = GraphWorkloadRunner(workload: workload, path: path, fileSystem: fileSystem).run()
        var failure = outcome.error.map { "step \(outcome.failedStep ?? -2) failed without any crash: \($0)" }
        do {
            try outcome.database?.close()
        } catch {
            failure = failure ?? "close failed without any crash: \(error)"
        }
        return (outcome.history.states, fileSystem.operationCount, failure)
    }

    /// Runs the workload with the power cut after `point` mutating calls and checks the crash
    /// image taken in `mode`. Returns nil, or the violation.
    static func check(_ workload: GraphWorkload, states: [ModelState], point: Int, mode: CrashMode, readOnly: Bool) -> String? {
        let fileSystem = CrashSimulatingFileSystem()
        fileSystem.crashAfterOperations = point
        let outcome = GraphWorkloadRunner(workload: workload, path: path, fileSystem: fileSystem, reference: states).run()
        var history = outcome.history
        if let error = outcome.error {
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
        return GraphRecoveryCheck.check(
            image: image, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, using: &imageRandom,
            readOnly: readOnly)
    }

    func report(_ iterationSeed: UInt64, _ workload: GraphWorkload, _ what: String, _ failure: String) {
        CampaignOutput.progress("""
            VIOLATION (crash-campaign --workload graph seed \(seed), iteration seed \(iterationSeed), \(what)):
              \(failure)
            rerun: crash-campaign --workload graph --seed \(seed) --iteration \(iterationSeed) (add --point and --mode for the one crash point)
            \(workload.description.prefix(6000))
            """)
    }
}
