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
    @Option(help: "Open each crash image read-only before the recovery after 1 in N crash points (seeded; 0: never).")
    var readOnlyEvery = 1
    @OptionGroup var widening: WorkloadWidening
    @Option(help: "The workload: kv (trees of keys and values), graph (StrataGraph transactions) or tiers (a TieredMemoryStore's writes and moves); the widening flags apply to kv only.")
    var workload = "kv"
    @Option(help: "With --workload graph: one workload in this many gets a transaction of 48 MB, 95 % of Limits.maxBatchBytes (0: none).")
    var graphBigBatchOneIn = 200

    static let path = "/db"

    mutating func run() throws {
        CampaignOutput.ensureDeterministicHashing()
        let seed = seed ?? CampaignOutput.freshSeed()
        let budget = CampaignBudget(count: count ?? (seconds == nil ? 10000 : nil), seconds: seconds)
        guard workload == "kv" else {
            if workload == "tiers" {
                return try TiersCrashCampaign(
                    seed: seed, budget: budget, pointsPerWorkload: pointsPerWorkload, iteration: iteration, point: point, mode: mode
                ).run()
            }
            guard workload == "graph" else { throw ValidationError("--workload is kv, graph or tiers") }
            return try GraphCrashCampaign(
                seed: seed, budget: budget, pointsPerWorkload: pointsPerWorkload, iteration: iteration, point: point, mode: mode,
                readOnlyEvery: readOnlyEvery, bigBatchOneIn: graphBigBatchOneIn
            ).run()
        }
        var loop = CampaignLoop(name: "crash-campaign", unit: "crash points", seed: seed, budget: budget, iteration: iteration)
        var workloads = 0
        CampaignOutput.progress("crash-campaign: seed \(seed)")
        try loop.run(progress: { "\($0) crash points, \(workloads) workloads, \(Int(budget.elapsed)) s" }) { iterationSeed, points in
            var iterationRandom = SeededRandom(seed: iterationSeed)
            let workload = Workload(
                seed: iterationSeed, steps: Int.random(in: 20...160, using: &iterationRandom), options: widening.options)
            let (total, cleanFailure) = Self.countOperationsChecking(workload.steps, workload)
            workloads += 1
            if let cleanFailure {
                // Without a crash every step must succeed: a stale-handle write or an over-bound
                // put that the engine accepts stops the run here, before any crash point.
                CampaignOutput.progress("""
                    VIOLATION (crash-campaign seed \(seed), iteration seed \(iterationSeed), no crash):
                      \(cleanFailure)
                    rerun: crash-campaign --seed \(seed) --iteration \(iterationSeed) (with the same widening flags)
                    """)
                return true
            }
            // A big batch makes every run and check of the workload take seconds: one point.
            return CrashPoints.check(
                count: workload.hasBigBatch ? 1 : pointsPerWorkload, total: total, only: point, mode: mode, using: &iterationRandom,
                points: &points
            ) { point, mode, modeIndex in
                let damage = widening.damageTarget(iterationSeed &+ UInt64(point) &* 31 &+ modeIndex)
                let readOnly = ReadOnlyCheck.sampled(iterationSeed &+ UInt64(point) &* 31 &+ modeIndex, every: readOnlyEvery)
                guard let failure = Self.check(workload.steps, workload, point: point, mode: mode, damage: damage, readOnly: readOnly)
                else { return false }
                Self.report(
                    seed: seed, iterationSeed: iterationSeed, workload: workload, point: point, mode: mode, damage: damage,
                    readOnly: readOnly, failure: failure)
                return true
            }
        }
        CampaignOutput.progress("  \(ReadOnlyCheck.tally.summary)")
        loop.summary(violations: 0)
    }

    /// Runs `steps` and a final close without crashing; returns how many mutating calls they make.
    static func countOperations(_ steps: [Workload.Step], _ workload: Workload) -> Int {
        countOperationsChecking(steps, workload).operations
    }

    /// Runs `steps` and a final close without crashing; returns how many mutating calls they
    /// make and, if a step or the close failed (nothing may, without a crash), what failed.
    static func countOperationsChecking(_ steps: [Workload.Step], _ workload: Workload) -> (operations: Int, failure: String?) {
        let fileSystem = CrashSimulatingFileSystem()
        var trial = workload
        trial.steps = steps
        let outcome = WorkloadRunner(workload: trial, path: path, fileSystem: fileSystem).run()
        var failure = outcome.error.map { "step \(outcome.failedStep ?? -2) failed without any crash: \($0)" }
        do {
            try outcome.database?.close()
        } catch {
            failure = failure ?? "close failed without any crash: \(error)"
        }
        return (fileSystem.operationCount, failure)
    }

    /// Runs `steps` with the power cut after `point` mutating calls and checks the crash image
    /// taken in `mode`. Returns nil, or the violation.
    /// With `damage`, the crash image with one byte changed there is checked too (``DamageCheck``).
    /// With `readOnly`, the image is first opened read-only (``ReadOnlyCheck``).
    static func check(
        _ steps: [Workload.Step], _ workload: Workload, point: Int, mode: CrashMode, damage: DamageCheck.Target? = nil,
        readOnly: Bool = true
    ) -> String? {
        let fileSystem = CrashSimulatingFileSystem()
        fileSystem.crashAfterOperations = point
        var trial = workload
        trial.steps = steps
        let outcome = WorkloadRunner(workload: trial, path: path, fileSystem: fileSystem).run()
        // Only the simulated power loss (or writes refused because of it) may stop the run.
        let (history, failure) = outcome.afterPowerLoss()
        if let failure { return failure }
        var imageRandom = SeededRandom(seed: workload.seed &+ UInt64(point) &* 4099 &+ UInt64(CrashMode.allCases.firstIndex(of: mode)!))
        let image = fileSystem.crashImage(using: &imageRandom, mode: mode)
        if getenv("STRATA_CAMPAIGN_VERBOSE") != nil {
            CampaignOutput.progress("failed step \(outcome.failedStep ?? -2): \(outcome.error.map { "\($0)" } ?? "none"); acknowledged \(history.acknowledged) of \(history.states.count - 1)")
            CampaignOutput.progress("pending: \(fileSystem.pendingOperations)")
        }
        if let failure = RecoveryCheck.check(
            image: image, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, using: &imageRandom,
            readOnly: readOnly)
        {
            return failure
        }
        guard let damage else { return nil }
        return DamageCheck.check(
            image: image, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, target: damage,
            using: &imageRandom)
    }

    static func report(
        seed: UInt64, iterationSeed: UInt64, workload: Workload, point: Int, mode: CrashMode, damage: DamageCheck.Target?,
        readOnly: Bool, failure: String
    ) {
        CampaignOutput.progress("""
            VIOLATION (crash-campaign seed \(seed), iteration seed \(iterationSeed), crash after \(point) operations, mode \(mode), damage \(damage.map(\.rawValue) ?? "none")):
              \(failure)
            rerun: crash-campaign --seed \(seed) --iteration \(iterationSeed) (with the same widening and --read-only-every flags)
            shrinking…
            """)
        let shrunk = Shrinker.shrink(workload.steps) { steps in
            let total = countOperations(steps, workload)
            guard total > 0 else { return false }
            var candidates = [min(point, total - 1)]
            let stride = max(1, total / 48)
            candidates += Swift.stride(from: 0, to: total, by: stride)
            return candidates.contains { check(steps, workload, point: $0, mode: mode, damage: damage, readOnly: readOnly) != nil }
        }
        var smallest = workload
        smallest.steps = shrunk
        CampaignOutput.progress("smallest reproducing operation list (\(shrunk.count) of \(workload.steps.count) steps, after creating trees \(Workload.treeNames)):\n\(smallest)")
    }
}
