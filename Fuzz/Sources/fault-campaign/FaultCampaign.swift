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

    static let path = "/db"
    /// The calls faults are injected into (reads are not: a failed read is not a write failure).
    static let operations: [FaultInjectingFileSystem.Operation] = [
        .open, .write, .sync, .setLength, .rename, .remove, .syncDirectory, .createDirectory,
    ]

    /// What one iteration injects.
    struct Plan: CustomStringConvertible {
        var rules: [FaultInjectingFileSystem.Rule]
        var description: String {
            rules.map { "\($0.operation) \($0.trigger) \($0.fault)" }.joined(separator: ", ")
        }
    }

    mutating func run() throws {
        CampaignOutput.ensureDeterministicHashing()
        let seed = seed ?? CampaignOutput.freshSeed()
        let budget = CampaignBudget(count: count ?? (seconds == nil ? 3000 : nil), seconds: seconds)
        var rng = SeededRandom(seed: seed)
        var faults = 0
        var iterations = 0
        var surfaced = 0
        var lastReport = 0.0
        CampaignOutput.progress("fault-campaign: seed \(seed)")
        while budget.allows(faults) {
            let iterationSeed = iteration ?? rng.next()
            var random = SeededRandom(seed: iterationSeed)
            let workload = Workload(seed: iterationSeed, steps: Int.random(in: 10...100, using: &random))
            let counts = Self.dryRun(workload.steps, workload)
            let plan = Self.plan(counts: counts, using: &random)
            let result = Self.check(workload.steps, workload, plan: plan)
            iterations += 1
            faults += result.injected
            if result.surfaced { surfaced += 1 }
            if let failure = result.violation {
                Self.report(seed: seed, iterationSeed: iterationSeed, workload: workload, plan: plan, failure: failure)
                CampaignOutput.summary("fault-campaign: \(faults) faults, 1 violations, seed \(seed)")
                throw ExitCode(1)
            }
            if budget.elapsed - lastReport >= 5 {
                lastReport = budget.elapsed
                CampaignOutput.progress(
                    "  \(faults) faults, \(iterations) workloads, \(surfaced) surfaced as errors, \(Int(budget.elapsed)) s")
            }
            if iteration != nil { break }
        }
        CampaignOutput.progress("  \(faults) faults in \(iterations) workloads, \(surfaced) surfaced as errors")
        CampaignOutput.summary("fault-campaign: \(faults) faults, 0 violations, seed \(seed)")
    }

    /// The calls of each operation a fault-free run of `steps` (and a final close) makes.
    static func dryRun(_ steps: [Workload.Step], _ workload: Workload) -> [FaultInjectingFileSystem.Operation: Int] {
        let fileSystem = FaultInjectingFileSystem(wrapping: MemoryFileSystem())
        var trial = workload
        trial.steps = steps
        let outcome = WorkloadRunner(workload: trial, path: path, fileSystem: fileSystem).run()
        try? outcome.database?.close()
        return fileSystem.counts
    }

    /// Mostly one fault at one chosen call; sometimes faults at random on two operations.
    static func plan(counts: [FaultInjectingFileSystem.Operation: Int], using random: inout SeededRandom) -> Plan {
        func fault() -> FaultInjectingFileSystem.Rule.Fault {
            Bool.random(using: &random) ? .ioError : .noSpace(writingPrefix: Bool.random(using: &random))
        }
        let available = operations.filter { counts[$0, default: 0] > 0 }
        if Int.random(in: 0..<10, using: &random) < 8 {
            let operation = available.randomElement(using: &random)!
            let n = Int.random(in: 1...counts[operation]!, using: &random)
            return Plan(rules: [.init(operation, .nth(n), fault: fault())])
        }
        var rules: [FaultInjectingFileSystem.Rule] = []
        for _ in 0..<2 {
            let operation = available.randomElement(using: &random)!
            let probability = min(0.5, 2.0 / Double(counts[operation]!))
            rules.append(.init(operation, .random(probability: probability, seed: random.next()), fault: fault()))
        }
        return Plan(rules: rules)
    }

    struct Result {
        var injected = 0
        var surfaced = false
        var violation: String?
    }

    static func isIOError(_ error: any Error) -> Bool {
        guard let strata = error as? StrataError else { return false }
        return strata.code == .ioFailure || strata.code == .writesDisabled
    }

    /// Runs `steps` with `plan`'s faults and checks everything the contract promises.
    static func check(_ steps: [Workload.Step], _ workload: Workload, plan: Plan) -> Result {
        let base = MemoryFileSystem()
        let faulty = FaultInjectingFileSystem(wrapping: base, rules: plan.rules)
        var trial = workload
        trial.steps = steps
        var outcome = WorkloadRunner(workload: trial, path: path, fileSystem: faulty).run()
        var result = Result()
        var history = outcome.history
        func fail(_ text: String) -> Result {
            result.violation = text
            return result
        }

        if let error = outcome.error {
            result.surfaced = true
            guard isIOError(error) else {
                return fail("step \(outcome.failedStep ?? -2) failed with \(error), not an I/O failure or writesDisabled")
            }
            if let db = outcome.database {
                // Reads keep working (unless a failure while applying a commit closed the database).
                do {
                    _ = try RecoveryCheck.matchState(db, history, what: "reading after the failure")
                } catch let error as StrataError where error.code == .closed {
                    // Documented: the trees may hold part of a commit, so everything is refused.
                } catch {
                    return fail("reading after the failure (\(outcome.error!)) failed: \(error)")
                }
                // No write is acknowledged after a failed write or fsync.
                let disabled = (try? db.statistics().writesDisabled) ?? true
                let writeOrSync: Set<FaultInjectingFileSystem.Operation> = [.write, .sync, .setLength]
                if plan.rules.count == 1, writeOrSync.contains(plan.rules[0].operation), !disabled {
                    return fail("after a failed \(plan.rules[0].operation) (\(error)), writes are not disabled")
                }
                if let t0 = try? db.existingTree(Workload.treeNames[0]) {
                    var next = history.current
                    next[Workload.treeNames[0], default: [:]][Array("after-failure".utf8)] = [1]
                    history.record(next)
                    do {
                        try db.write(durable: true) { tx in try tx.insert([1], forKey: Array("after-failure".utf8), in: t0) }
                        if disabled { return fail("a durable write was acknowledged after the failure \(error) disabled writes") }
                        history.acknowledgeAll()
                    } catch let later {
                        let code = (later as? StrataError)?.code
                        if disabled, code != .writesDisabled, code != .closed {
                            return fail("after the failure \(error), a write failed with \(later) instead of writesDisabled")
                        }
                        if !isIOError(later), code != .closed {
                            return fail("after the failure \(error), a write failed with \(later)")
                        }
                    }
                }
                do {
                    try db.close()
                } catch {
                    guard isIOError(error) else { return fail("close after the failure threw \(error)") }
                }
            }
        } else if let db = outcome.database {
            do {
                try db.close()
                history.acknowledgeAll()
            } catch {
                result.surfaced = true
                guard isIOError(error) else { return fail("close threw \(error), not an I/O failure") }
            }
        }
        outcome.database = nil
        result.injected = faulty.injectedFaultCount
        if result.injected > 0 && !result.surfaced {
            // Deleting an obsolete WAL or segment file may fail quietly (logged): the next open
            // deletes it again. Every other failure must be reported.
            // (Checked for single-fault plans, where the failed call is known.)
            if plan.rules.count == 1, plan.rules[0].operation != .remove {
                return fail("\(result.injected) injected fault(s) (\(plan)) and no error surfaced: a silent success")
            }
        }
        // Reopen on the file system underneath, without faults.
        var random = SeededRandom(seed: workload.seed &+ 17)
        if let failure = RecoveryCheck.check(
            image: base, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, using: &random)
        {
            return fail("after the fault, reopening without faults: \(failure)")
        }
        return result
    }

    static func report(seed: UInt64, iterationSeed: UInt64, workload: Workload, plan: Plan, failure: String) {
        CampaignOutput.progress("""
            VIOLATION (fault-campaign seed \(seed), iteration seed \(iterationSeed), faults: \(plan)):
              \(failure)
            rerun: fault-campaign --seed \(seed) --iteration \(iterationSeed)
            shrinking…
            """)
        let shrunk = Shrinker.shrink(workload.steps) { steps in
            let counts = dryRun(steps, workload)
            return plan.rules.contains { rule in
                guard case .nth = rule.trigger, let total = counts[rule.operation], total > 0 else {
                    return check(steps, workload, plan: plan).violation != nil
                }
                let stride = max(1, total / 24)
                return Swift.stride(from: 1, through: total, by: stride).contains { n in
                    check(steps, workload, plan: Plan(rules: [.init(rule.operation, .nth(n), fault: rule.fault)])).violation != nil
                }
            }
        }
        var smallest = workload
        smallest.steps = shrunk
        CampaignOutput.progress("smallest reproducing operation list (\(shrunk.count) of \(workload.steps.count) steps, after creating trees \(Workload.treeNames)):\n\(smallest)")
    }
}
