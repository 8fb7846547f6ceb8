import ArgumentParser
import CampaignSupport
import StrataEngine
import StrataTestSupport

/// Injected I/O errors: runs seeded workloads on a ``FaultInjectingFileSystem`` that fails one
/// chosen call (or random calls) with `EIO` or `ENOSPC`, and checks that the failure surfaces
/// as a `StrataError`, that no write is acknowledged after a failed write or fsync, that reads
/// keep working, and that reopening without faults recovers a state of the model at or after
/// the last acknowledged durable commit.
@main
struct FaultCampaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault-campaign",
        abstract: "Injected EIO and ENOSPC on every kind of file-system call, checked against a model.")

    @Option(help: "The campaign seed (default: from the clock). The same seed reruns the same campaign.")
    var seed: UInt64?
    @Option(help: "Stop after this many injected faults.")
    var count: Int?
    @Option(help: "Stop after this many seconds.")
    var seconds: Double?
    @Option(help: "Rerun one iteration: its own seed (printed with a violation).")
    var iteration: UInt64?
    @Option(help: "Open the files read-only before the read-write reopen after 1 in N fault runs (seeded; 0: never).")
    var readOnlyEvery = 1
    @OptionGroup var widening: WorkloadWidening
    @Option(help: "The workload: kv (trees of keys and values) or graph (StrataGraph transactions; the widening flags do not apply).")
    var workload = "kv"

    mutating func run() throws {
        CampaignOutput.ensureDeterministicHashing()
        let seed = seed ?? CampaignOutput.freshSeed()
        let budget = CampaignBudget(count: count ?? (seconds == nil ? 3000 : nil), seconds: seconds)
        guard workload == "kv" else {
            guard workload == "graph" else { throw ValidationError("--workload is kv or graph") }
            return try GraphFaultCampaign(seed: seed, budget: budget, iteration: iteration, readOnlyEvery: readOnlyEvery).run()
        }
        var loop = CampaignLoop(name: "fault-campaign", unit: "faults", seed: seed, budget: budget, iteration: iteration)
        var iterations = 0
        var surfaced = 0
        CampaignOutput.progress("fault-campaign: seed \(seed)")
        try loop.run(progress: { "\($0) faults, \(iterations) workloads, \(surfaced) surfaced as errors, \(Int(budget.elapsed)) s" }) { iterationSeed, faults in
            let (workload, plan, cleanFailure) = FaultCheck.iteration(seed: iterationSeed, options: widening.options)
            let damage = widening.damageTarget(iterationSeed)
            let readOnly = ReadOnlyCheck.sampled(iterationSeed, every: readOnlyEvery)
            var result = FaultCheck.check(workload.steps, workload, plan: plan, damage: damage, readOnly: readOnly)
            if let cleanFailure { result.violation = cleanFailure }
            iterations += 1
            faults += result.injected
            if result.surfaced { surfaced += 1 }
            guard let failure = result.violation else { return false }
            Self.report(
                seed: seed, iterationSeed: iterationSeed, workload: workload, plan: plan, damage: damage, readOnly: readOnly,
                failure: failure)
            return true
        }
        CampaignOutput.progress("  \(loop.units) faults in \(iterations) workloads, \(surfaced) surfaced as errors; \(ReadOnlyCheck.tally.summary)")
        loop.summary(violations: 0)
    }

    static func report(
        seed: UInt64, iterationSeed: UInt64, workload: Workload, plan: FaultCheck.Plan, damage: DamageCheck.Target?, readOnly: Bool,
        failure: String
    ) {
        CampaignOutput.progress("""
            VIOLATION (fault-campaign seed \(seed), iteration seed \(iterationSeed), faults: \(plan)):
              \(failure)
            rerun: fault-campaign --seed \(seed) --iteration \(iterationSeed) (with the same widening and --read-only-every flags)
            shrinking…
            """)
        let shrunk = Shrinker.shrink(workload.steps) { steps in
            let counts = FaultCheck.dryRun(steps, workload)
            return plan.rules.contains { rule in
                guard case .nth = rule.trigger, let total = counts[rule.operation], total > 0 else {
                    return FaultCheck.check(steps, workload, plan: plan, damage: damage, readOnly: readOnly).violation != nil
                }
                let stride = max(1, total / 24)
                return Swift.stride(from: 1, through: total, by: stride).contains { n in
                    FaultCheck.check(
                        steps, workload, plan: FaultCheck.Plan(rules: [.init(rule.operation, .nth(n), fault: rule.fault)]), damage: damage,
                        readOnly: readOnly
                    ).violation != nil
                }
            }
        }
        var smallest = workload
        smallest.steps = shrunk
        CampaignOutput.progress("smallest reproducing operation list (\(shrunk.count) of \(workload.steps.count) steps, after creating trees \(Workload.treeNames)):\n\(smallest)")
    }
}
