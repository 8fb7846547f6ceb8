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
        var rng = SeededRandom(seed: seed)
        var faults = 0
        var iterations = 0
        var surfaced = 0
        var lastReport = 0.0
        CampaignOutput.progress("fault-campaign (graph workload): seed \(seed)")
        while budget.allows(faults) {
            let iterationSeed = iteration ?? rng.next()
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
            if let failure = result.violation {
                CampaignOutput.progress("""
                    VIOLATION (fault-campaign --workload graph seed \(seed), iteration seed \(iterationSeed), faults: \(plan)):
                      \(failure)
                    rerun: fault-campaign --workload graph --seed \(seed) --iteration \(iterationSeed)
                    \(workload.description.prefix(6000))
                    """)
                CampaignOutput.summary("fault-campaign (graph): \(faults) faults, 1 violations, seed \(seed)")
                throw ExitCode.failure
            }
            if budget.elapsed - lastReport >= 5 {
                lastReport = budget.elapsed
                CampaignOutput.progress(
                    "  \(faults) faults, \(iterations) graph workloads, \(surfaced) surfaced as errors, \(Int(budget.elapsed)) s")
            }
            if iteration != nil { break }
        }
        CampaignOutput.progress(
            "  \(faults) faults in \(iterations) graph workloads, \(surfaced) surfaced as errors; \(ReadOnlyCheck.tally.summary)")
        CampaignOutput.summary("fault-campaign (graph): \(faults) faults, 0 violations, seed \(seed)")
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

    /// Runs the workload with `plan`'s faults and checks the contract, then the recovery.
    static func check(_ workload: GraphWorkload, states: [ModelState], plan: FaultCheck.Plan, readOnly: Bool) -> FaultCheck.Result {
        let base = MemoryFileSystem()
        let faulty = FaultInjectingFileSystem(wrapping: base, rules: plan.rules)
        let outcome = GraphWorkloadRunner(workload: workload, path: path, fileSystem: faulty, reference: states).run()
        var result = FaultCheck.Result()
        result.failedStep = outcome.failedStep
        var history = outcome.history
        func fail(_ text: String) -> FaultCheck.Result {
            result.violation = text
            return result
        }
        if let error = outcome.error {
            result.surfaced = true
            guard FaultCheck.isIOError(error) else {
                return fail("step \(outcome.failedStep ?? -2) failed with \(error), not an I/O failure or writesDisabled")
            }
            if let db = outcome.database {
                // Reads keep working (unless a failure while applying a commit closed the database).
                do {
                    _ = try RecoveryCheck.matchState(db, history, what: "reading after the failure")
                } catch let error as StrataError where error.code == .closed {
                    // Documented: the trees may hold part of a commit, so everything is refused.
                } catch {
                    return fail("reading after the failure (\(error)) failed: \(error)")
                }
                let disabled = (try? db.statistics().writesDisabled) ?? true
                let writeOrSync: Set<FaultInjectingFileSystem.Operation> = [.write, .sync, .setLength]
                if plan.rules.count == 1, writeOrSync.contains(plan.rules[0].operation), !disabled {
                    return fail("after a failed \(plan.rules[0].operation) (\(error)), writes are not disabled")
                }
                if disabled {
                    // A graph write is refused whole, as every engine write is.
                    do {
                        let store = try MemoryStore(database: db, configuration: GraphWorkloadRunner.storeConfiguration(clock: GraphClock()))
                        _ = try store.write(durability: .synced) { g in
                            try g.insert(Node(id: "after-failure", namespace: GraphWorkload.namespace, .entity(Entity(type: .concept, name: "x"))))
                        }
                        return fail("a durable graph write was acknowledged after the failure \(error) disabled writes")
                    } catch let later {
                        let code = (later as? StrataError)?.code
                        if code != .writesDisabled, code != .closed {
                            return fail("after the failure \(error), a graph write failed with \(later) instead of writesDisabled")
                        }
                    }
                }
                do {
                    try db.close()
                } catch {
                    guard FaultCheck.isIOError(error) else { return fail("close after the failure threw \(error)") }
                }
            }
        } else if let db = outcome.database {
            do {
                try db.close()
                history.acknowledgeAll()
            } catch {
                result.surfaced = true
                guard FaultCheck.isIOError(error) else { return fail("close threw \(error), not an I/O failure") }
            }
        }
        if let retried = faulty.syncsAfterFailure.first {
            return fail("\(retried) was synced again after a sync of it failed")
        }
        result.injected = faulty.injectedFaultCount
        if result.injected > 0, !result.surfaced, plan.rules.count == 1, plan.rules[0].operation != .remove {
            return fail("\(result.injected) injected fault(s) (\(plan)) and no error surfaced: a silent success")
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
