import ArgumentParser
import CampaignSupport
import StrataEngine
import StrataGraph
import StrataTestSupport

/// `fault-campaign --workload graph`: injected `EIO` and `ENOSPC` under a ``GraphWorkload``.
/// Each iteration runs its workload cleanly on a ``FaultInjectingFileSystem`` without rules (the
/// reference: the state after every commit and the calls of each kind), then again with one
/// chosen call (or random calls) failing; the failure must surface as an I/O error, reads must
/// keep working, a failed write or fsync must disable writes (a graph write is then refused), and
/// the files left behind must pass ``GraphRecoveryCheck``.
struct GraphFaultCampaign {
    static let path = "/db"

    var seed: UInt64
    var budget: CampaignBudget
    var iteration: UInt64?
    var readOnlyEvery: Int

    func run() throws {
        var loop = CampaignLoop(name: "fault-campaign (graph)", unit: "faults", seed: seed, budget: budget, iteration: iteration)
        var iterations = 0
        var surfaced = 0
        CampaignOutput.progress("fault-campaign (graph workload): seed \(seed)")
        try loop.run(progress: { "\($0) faults, \(iterations) graph workloads, \(surfaced) surfaced as errors, \(Int(budget.elapsed)) s" }) { iterationSeed, faults in
            var random = SeededRandom(seed: iterationSeed)
            let workload = GraphWorkload(seed: iterationSeed, steps: Int.random(in: 10...80, using: &random))
            let (states, counts, cleanFailure) = Self.reference(workload)
            let plan = FaultCheck.plan(counts: counts, using: &random)
            let readOnly = ReadOnlyCheck.sampled(iterationSeed, every: readOnlyEvery)
            var result = cleanFailure.map { _ in FaultCheck.Result() }
                ?? Self.check(workload, states: states, plan: plan, readOnly: readOnly)
            if let cleanFailure { result.violation = cleanFailure }
            iterations += 1
            faults += result.injected
            if result.surfaced { surfaced += 1 }
            guard let failure = result.violation else { return false }
            CampaignOutput.progress("""
                VIOLATION (fault-campaign --workload graph seed \(seed), iteration seed \(iterationSeed), faults: \(plan)):
                  \(failure)
                rerun: fault-campaign --workload graph --seed \(seed) --iteration \(iterationSeed)
                \(workload.description.prefix(6000))
                shrinking…
                """)
            var smallest = workload
            smallest.steps = Shrinker.shrink(workload.steps) { steps in
                Self.reproduces(workload, steps: steps, plan: plan, readOnly: readOnly, clean: cleanFailure != nil)
            }
            CampaignOutput.progress("smallest reproducing step list (\(smallest.steps.count) of \(workload.steps.count) steps, after the store's creation and its spaces):\n\(smallest.description.prefix(12000))")
            return true
        }
        CampaignOutput.progress(
            "  \(loop.units) faults in \(iterations) graph workloads, \(surfaced) surfaced as errors; \(ReadOnlyCheck.tally.summary)")
        loop.summary(violations: 0)
    }

    /// The fault-free run: the state after every commit, the calls of each operation it and its
    /// close make, and what failed, if anything did (nothing may).
    static func reference(_ workload: GraphWorkload)
        -> (states: [ModelState], counts: [FaultInjectingFileSystem.Operation: Int], failure: String?)
    {
        let fileSystem = FaultInjectingFileSystem(wrapping: MemoryFileSystem())
        let outcome = GraphWorkloadRunner(workload: workload, path: path, fileSystem: fileSystem).run()
        var failure = outcome.error.map { "step \(outcome.failedStep ?? -2) failed without any fault: \($0)" }
        do {
            try outcome.database?.close()
        } catch {
            failure = failure ?? "close failed without any fault: \(error)"
        }
        return (outcome.history.states, fileSystem.counts, failure)
    }

    /// Whether `workload` with `steps` still fails: its fault-free run (for a failure without
    /// faults), or with `plan`, or with a rule of it at one of 24 calls spread over the
    /// shorter workload's calls of that operation.
    static func reproduces(_ workload: GraphWorkload, steps: [GraphWorkload.Step], plan: FaultCheck.Plan, readOnly: Bool, clean: Bool) -> Bool {
        var trial = workload
        trial.steps = steps
        let (states, counts, cleanFailure) = reference(trial)
        if clean { return cleanFailure != nil }
        guard cleanFailure == nil else { return false }
        return plan.rules.contains { rule in
            guard case .nth = rule.trigger, let total = counts[rule.operation], total > 0 else {
                return check(trial, states: states, plan: plan, readOnly: readOnly).violation != nil
            }
            return stride(from: 1, through: total, by: max(1, total / 24)).contains { n in
                let single = FaultCheck.Plan(rules: [.init(rule.operation, .nth(n), fault: rule.fault)])
                return check(trial, states: states, plan: single, readOnly: readOnly).violation != nil
            }
        }
    }

    /// Runs the workload with `plan`'s faults and checks the contract, then the recovery.
    static func check(_ workload: GraphWorkload, states: [ModelState], plan: FaultCheck.Plan, readOnly: Bool) -> FaultCheck.Result {
        let base = MemoryFileSystem()
        let faulty = FaultInjectingFileSystem(wrapping: base, rules: plan.rules)
        let outcome = GraphWorkloadRunner(workload: workload, path: path, fileSystem: faulty, reference: states).run()
        var (result, history) = FaultCheck.judge(outcome, on: faulty, plan: plan) { db, _, disabled, error, _ in
            guard disabled else { return nil }
            // A graph write is refused whole, as every engine write is.
            do {
                let store = try MemoryStore(database: db, configuration: GraphWorkloadRunner.storeConfiguration(clock: GraphClock()))
                _ = try store.write(durability: .synced) { g in
                    try g.insert(Node(id: "after-failure", namespace: GraphWorkload.namespace, .entity(Entity(type: .concept, name: "x"))))
                }
                return "a durable graph write was acknowledged after the failure \(error) disabled writes"
            } catch let later {
                let code = (later as? StrataError)?.code
                if code != .writesDisabled, code != .closed {
                    return "after the failure \(error), a graph write failed with \(later) instead of writesDisabled"
                }
            }
            return nil
        }
        if result.violation != nil { return result }
        func fail(_ text: String) -> FaultCheck.Result {
            result.violation = text
            return result
        }
        var random = SeededRandom(seed: workload.seed &+ 17)
        if let failure = GraphRecoveryCheck.check(
            image: base, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, using: &random, readOnly: readOnly)
        {
            return fail("after the fault, reopening without faults: \(failure)")
        }
        return result
    }
}
