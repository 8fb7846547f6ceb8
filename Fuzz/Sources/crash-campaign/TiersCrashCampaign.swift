import ArgumentParser
import CampaignSupport
import StrataEngine
import StrataTestSupport
import StrataTiers

/// `crash-campaign --workload tiers`: simulated power loss under a ``TiersWorkload`` (all tier
/// directories on one simulated disk). Each workload runs once cleanly (every step must succeed,
/// and the read checks must hold at its end), then with the power cut after a chosen mutating
/// call of either tier; every crash image (one per ``CrashMode``) goes through ``TiersRecoveryCheck``.
struct TiersCrashCampaign {
    static let root = "/tiers"

    var seed: UInt64
    var budget: CampaignBudget
    var pointsPerWorkload: Int
    var iteration: UInt64?
    var point: Int?
    var mode: String?

    func run() throws {
        var loop = CampaignLoop(name: "crash-campaign (tiers)", unit: "crash points", seed: seed, budget: budget, iteration: iteration)
        var workloads = 0
        var crashed = 0
        var moved = 0
        var archives = 0
        CampaignOutput.progress("crash-campaign (tiers workload): seed \(seed)")
        try loop.run(progress: { "\($0) crash points, \(workloads) tiers workloads, \(Int(budget.elapsed)) s" }) { iterationSeed, points in
            var iterationRandom = SeededRandom(seed: iterationSeed)
            let workload = TiersWorkload(seed: iterationSeed, steps: Int.random(in: 20...90, using: &iterationRandom))
            let (total, cleanFailure, tiers) = Self.reference(workload)
            workloads += 1
            moved += tiers.filter { $0.tier != .active }.reduce(0) { $0 + $1.count }
            archives += tiers.count - 1
            if let cleanFailure {
                report(iterationSeed, workload, "no crash", cleanFailure) { steps in
                    var trial = workload
                    trial.steps = steps
                    return Self.reference(trial).failure != nil
                }
                return true
            }
            return CrashPoints.check(
                count: pointsPerWorkload, total: total, only: point, mode: mode, using: &iterationRandom, points: &points
            ) { point, mode, _ in
                let (failure, didCrash) = Self.check(workload, point: point, mode: mode)
                if didCrash { crashed += 1 }
                guard let failure else { return false }
                report(iterationSeed, workload, "crash after \(point) operations, mode \(mode)", failure) { steps in
                    Self.reproduces(workload, steps: steps, point: point, mode: mode)
                }
                return true
            }
        }
        CampaignOutput.progress("  \(workloads) tiers workloads, \(moved) records outside active in \(archives) tiers at their ends; \(crashed) crash points cut a run short (the rest fell after its last write)")
        loop.summary(violations: 0)
    }

    /// The clean run: the mutating calls its steps make, and what failed (nothing may): a step,
    /// the read checks at its end, or the close.
    static func reference(_ workload: TiersWorkload) -> (operations: Int, failure: String?, tiers: [TierSummary]) {
        let fileSystem = CrashSimulatingFileSystem()
        let outcome = TiersWorkloadRunner(workload: workload, root: root, fileSystem: fileSystem).run()
        let operations = fileSystem.operationCount
        if let error = outcome.error { return (operations, "step \(outcome.failedStep ?? -2) failed without any crash: \(error)", []) }
        guard let store = outcome.store else { return (operations, "no store after the run", []) }
        let tiers: [TierSummary]
        do {
            try TiersRecoveryCheck.reads(store, outcome.model)
            tiers = try store.tiers()
        } catch {
            try? store.close()
            return (operations, "reads at the end of the clean run: \(error)", [])
        }
        do { try store.close() } catch { return (operations, "close failed without any crash: \(error)", tiers) }
        return (operations, nil, tiers)
    }

    /// Runs the workload with the power cut after `point` mutating calls and checks the crash
    /// image taken in `mode`. Returns the violation (or nil) and whether the cut stopped the run.
    static func check(_ workload: TiersWorkload, point: Int, mode: CrashMode) -> (failure: String?, crashed: Bool) {
        let fileSystem = CrashSimulatingFileSystem()
        fileSystem.crashAfterOperations = point
        let outcome = TiersWorkloadRunner(workload: workload, root: root, fileSystem: fileSystem).run()
        if let error = outcome.error {
            guard let strata = error as? StrataError, strata.code == .ioFailure || strata.code == .writesDisabled else {
                return ("step \(outcome.failedStep ?? -2) failed with an error other than the power loss: \(error)", true)
            }
        } else {
            // The steps finished before the cut: the close takes it (or nothing does).
            try? outcome.store?.close()
        }
        try? outcome.store?.close()
        var imageRandom = SeededRandom(seed: workload.seed &+ UInt64(point) &* 4099 &+ UInt64(CrashMode.allCases.firstIndex(of: mode)!))
        let image = fileSystem.crashImage(using: &imageRandom, mode: mode)
        return (TiersRecoveryCheck.check(image: image, root: root, model: outcome.model, now: outcome.now), outcome.error != nil)
    }

    /// Whether `workload` with `steps` still fails near the crash point or at one of 48 points
    /// spread over its calls.
    static func reproduces(_ workload: TiersWorkload, steps: [TiersWorkload.Step], point: Int, mode: CrashMode) -> Bool {
        var trial = workload
        trial.steps = steps
        let (total, cleanFailure, _) = reference(trial)
        guard cleanFailure == nil, total > 0 else { return false }
        let candidates = [min(point, total - 1)] + Array(stride(from: 0, to: total, by: max(1, total / 48)))
        return candidates.contains { check(trial, point: $0, mode: mode).failure != nil }
    }

    /// Prints the violation, then shrinks the steps while `reproduces` holds and prints the smallest list.
    func report(_ iterationSeed: UInt64, _ workload: TiersWorkload, _ what: String, _ failure: String, reproduces: ([TiersWorkload.Step]) -> Bool) {
        CampaignOutput.progress("""
            VIOLATION (crash-campaign --workload tiers seed \(seed), iteration seed \(iterationSeed), \(what)):
              \(failure)
            rerun: crash-campaign --workload tiers --seed \(seed) --iteration \(iterationSeed) (add --point and --mode for the one crash point)
            \(workload.description.prefix(6000))
            shrinking…
            """)
        var smallest = workload
        smallest.steps = Shrinker.shrink(workload.steps, reproduces: reproduces)
        CampaignOutput.progress("smallest reproducing step list (\(smallest.steps.count) of \(workload.steps.count) steps, after the store's creation and its space):\n\(smallest.description.prefix(12000))")
    }
}
