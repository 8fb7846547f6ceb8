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
        var loop = CampaignLoop(name: "crash-campaign (graph)", unit: "crash points", seed: seed, budget: budget, iteration: iteration)
        var workloads = 0
        var commits = 0
        var bigBatches = 0
        CampaignOutput.progress("crash-campaign (graph workload): seed \(seed)")
        try loop.run(progress: { "\($0) crash points, \(workloads) graph workloads, \(Int(budget.elapsed)) s" }) { iterationSeed, points in
            var iterationRandom = SeededRandom(seed: iterationSeed)
            let workload = GraphWorkload(
                seed: iterationSeed, steps: Int.random(in: 20...120, using: &iterationRandom), bigBatchOneIn: bigBatchOneIn)
            let (states, total, cleanFailure) = Self.reference(workload)
            workloads += 1
            commits += states.count - 1
            if workload.hasBigBatch { bigBatches += 1 }
            if let cleanFailure {
                report(iterationSeed, workload, "no crash", cleanFailure) { steps in
                    var trial = workload
                    trial.steps = steps
                    return Self.reference(trial).failure != nil
                }
                return true
            }
            return CrashPoints.check(
                count: workload.hasBigBatch ? 1 : pointsPerWorkload, total: total, only: point, mode: mode, using: &iterationRandom,
                points: &points
            ) { point, mode, modeIndex in
                let readOnly = ReadOnlyCheck.sampled(iterationSeed &+ UInt64(point) &* 31 &+ modeIndex, every: readOnlyEvery)
                guard let failure = Self.check(workload, states: states, point: point, mode: mode, readOnly: readOnly) else { return false }
                report(iterationSeed, workload, "crash after \(point) operations, mode \(mode)", failure) { steps in
                    Self.reproduces(workload, steps: steps, point: point, mode: mode, readOnly: readOnly)
                }
                return true
            }
        }
        CampaignOutput.progress("  \(workloads) graph workloads (\(bigBatches) with a 48 MB batch), \(commits) commits in their reference runs; \(ReadOnlyCheck.tally.summary)")
        loop.summary(violations: 0)
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
        // Only the simulated power loss (or writes refused because of it) may stop the run.
        let (history, failure) = outcome.afterPowerLoss()
        if let failure { return failure }
        var imageRandom = SeededRandom(seed: workload.seed &+ UInt64(point) &* 4099 &+ UInt64(CrashMode.allCases.firstIndex(of: mode)!))
        let image = fileSystem.crashImage(using: &imageRandom, mode: mode)
        return GraphRecoveryCheck.check(
            image: image, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, using: &imageRandom,
            readOnly: readOnly)
    }

    /// Whether `workload` with `steps` still fails: near the crash point, or at one of 48
    /// points spread over its calls (a shorter workload makes fewer calls before the failure).
    static func reproduces(_ workload: GraphWorkload, steps: [GraphWorkload.Step], point: Int, mode: CrashMode, readOnly: Bool) -> Bool {
        var trial = workload
        trial.steps = steps
        let (states, total, cleanFailure) = reference(trial)
        guard cleanFailure == nil, total > 0 else { return false }
        let candidates = [min(point, total - 1)] + Array(stride(from: 0, to: total, by: max(1, total / 48)))
        return candidates.contains { check(trial, states: states, point: $0, mode: mode, readOnly: readOnly) != nil }
    }

    /// Prints the violation, then shrinks the workload's steps while `reproduces` holds and
    /// prints the smallest reproducing list.
    func report(_ iterationSeed: UInt64, _ workload: GraphWorkload, _ what: String, _ failure: String, reproduces: ([GraphWorkload.Step]) -> Bool) {
        CampaignOutput.progress("""
            VIOLATION (crash-campaign --workload graph seed \(seed), iteration seed \(iterationSeed), \(what)):
              \(failure)
            rerun: crash-campaign --workload graph --seed \(seed) --iteration \(iterationSeed) (add --point and --mode for the one crash point)
            \(workload.description.prefix(6000))
            shrinking…
            """)
        var smallest = workload
        smallest.steps = Shrinker.shrink(workload.steps, reproduces: reproduces)
        CampaignOutput.progress("smallest reproducing step list (\(smallest.steps.count) of \(workload.steps.count) steps, after the store's creation and its spaces):\n\(smallest.description.prefix(12000))")
    }
}
