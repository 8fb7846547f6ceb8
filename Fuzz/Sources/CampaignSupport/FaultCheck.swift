import StrataEngine
import StrataTestSupport

/// One iteration of the fault campaign: a seeded workload run on a ``FaultInjectingFileSystem``
/// whose rules fail one chosen call (or random calls) with `EIO` or `ENOSPC`, checked against
/// everything the I/O-failure contract promises (ARCHITECTURE.md): the failure surfaces as a
/// `StrataError`, no write is acknowledged after a failed write or fsync, reads keep working,
/// and reopening without faults recovers a state of the model at or after the last
/// acknowledged durable commit.
public enum FaultCheck {
    /// Where the database lives on the in-memory file system.
    public static let path = "/db"
    /// The calls faults are injected into (reads are not: a failed read is not a write failure).
    public static let operations: [FaultInjectingFileSystem.Operation] = [
        .open, .write, .sync, .setLength, .rename, .remove, .syncDirectory, .createDirectory,
    ]

    /// What one iteration injects.
    public struct Plan: Sendable, CustomStringConvertible {
        public var rules: [FaultInjectingFileSystem.Rule]
        public init(rules: [FaultInjectingFileSystem.Rule]) { self.rules = rules }
        public var description: String {
            rules.map { "\($0.operation) \($0.trigger) \($0.fault)" }.joined(separator: ", ")
        }
    }

    /// The workload and plan of the iteration with seed `seed`, as the campaign draws them.
    /// `cleanFailure` says what failed in the fault-free run, where nothing may (a write the
    /// engine should have refused stops the run there, before any fault is placed).
    public static func iteration(seed: UInt64, options: Workload.Options = Workload.Options())
        -> (workload: Workload, plan: Plan, cleanFailure: String?)
    {
        var random = SeededRandom(seed: seed)
        let workload = Workload(seed: seed, steps: Int.random(in: 10...100, using: &random), options: options)
        let (counts, failure) = dryRunChecking(workload.steps, workload)
        return (workload, plan(counts: counts, using: &random), failure)
    }

    /// The calls of each operation a fault-free run of `steps` (and a final close) makes.
    public static func dryRun(_ steps: [Workload.Step], _ workload: Workload) -> [FaultInjectingFileSystem.Operation: Int] {
        dryRunChecking(steps, workload).counts
    }

    /// ``dryRun(_:_:)``, and what failed in it, if anything did.
    public static func dryRunChecking(_ steps: [Workload.Step], _ workload: Workload)
        -> (counts: [FaultInjectingFileSystem.Operation: Int], failure: String?)
    {
        let fileSystem = FaultInjectingFileSystem(wrapping: MemoryFileSystem())
        let outcome = run(steps, of: workload, on: fileSystem)
        var failure = outcome.error.map { "step \(outcome.failedStep ?? -2) failed without any fault: \($0)" }
        do {
            try outcome.database?.close()
        } catch {
            failure = failure ?? "close failed without any fault: \(error)"
        }
        return (fileSystem.counts, failure)
    }

    /// Runs `workload` with its steps replaced by `steps` (what the shrinker tries) on `fileSystem`.
    private static func run(_ steps: [Workload.Step], of workload: Workload, on fileSystem: FaultInjectingFileSystem)
        -> WorkloadRunner.Outcome
    {
        var trial = workload
        trial.steps = steps
        return WorkloadRunner(workload: trial, path: path, fileSystem: fileSystem).run()
    }

    /// Mostly one fault at one chosen call; sometimes faults at random on two operations.
    public static func plan(counts: [FaultInjectingFileSystem.Operation: Int], using random: inout SeededRandom) -> Plan {
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

    /// What one checked iteration found.
    public struct Result: Sendable {
        /// How many calls were made to fail.
        public var injected = 0
        /// Whether an error surfaced (from a step or from `close()`).
        public var surfaced = false
        /// The step whose call threw (-1: opening), if one did.
        public var failedStep: Int?
        /// What broke the contract, if anything did.
        public var violation: String?

        public init() {}
    }

    /// Whether `error` is how an I/O failure may surface: `ioFailure`, or `writesDisabled`
    /// caused by an earlier one.
    public static func isIOError(_ error: any Error) -> Bool {
        guard let strata = error as? StrataError else { return false }
        return strata.code == .ioFailure || strata.code == .writesDisabled
    }

    /// Runs `steps` with `plan`'s faults and checks everything the contract promises; with
    /// `damage`, also that the files left behind, with one byte changed there, open to a state
    /// of the model or are refused cleanly (``DamageCheck``). With `readOnly`, the reopening
    /// starts with a read-only open of the files (``ReadOnlyCheck``).
    public static func check(
        _ steps: [Workload.Step], _ workload: Workload, plan: Plan, damage: DamageCheck.Target? = nil, readOnly: Bool = true
    ) -> Result {
        let base = MemoryFileSystem()
        let faulty = FaultInjectingFileSystem(wrapping: base, rules: plan.rules)
        let outcome = run(steps, of: workload, on: faulty)
        var (result, history) = judge(outcome, on: faulty, plan: plan) { db, visible, disabled, error, history in
            guard let t0 = try? db.existingTree(Workload.treeNames[0]) else { return nil }
            var next = history.states[visible]
            next[Workload.treeNames[0], default: [:]][Array("after-failure".utf8)] = [1]
            history.record(next)
            do {
                try db.write(durability: .synced) { tx in try tx.insert([1], forKey: Array("after-failure".utf8), in: t0) }
                if disabled { return "a durable write was acknowledged after the failure \(error) disabled writes" }
                history.acknowledgeAll()
            } catch let later {
                let code = (later as? StrataError)?.code
                if disabled, code != .writesDisabled, code != .closed {
                    return "after the failure \(error), a write failed with \(later) instead of writesDisabled"
                }
                if !isIOError(later), code != .closed {
                    return "after the failure \(error), a write failed with \(later)"
                }
            }
            return nil
        }
        if result.violation != nil { return result }
        func fail(_ text: String) -> Result {
            result.violation = text
            return result
        }
        // Reopen on the file system underneath, without faults.
        var random = SeededRandom(seed: workload.seed &+ 17)
        if let failure = RecoveryCheck.check(
            image: base, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, using: &random, readOnly: readOnly)
        {
            return fail("after the fault, reopening without faults: \(failure)")
        }
        if let damage, let failure = DamageCheck.check(
            image: base, path: path, history: history, segmentGCRatio: workload.segmentGCRatio, target: damage, using: &random)
        {
            return fail("after the fault, with damage: \(failure)")
        }
        return result
    }

    /// The I/O-failure contract of a run on `faulty` with `plan`'s faults, whatever the workload:
    /// an error that stops the run is an I/O failure (or `writesDisabled`); reads keep working
    /// (the state read is a commit of the history, unless the failure closed the database); a
    /// failed write, fsync or truncation disables writes; `writeAfterFailure(database, the
    /// commit read, writes disabled, the error, &history)` tries the workload's write after it
    /// and says what went wrong, if anything; the close surfaces only I/O failures; no file is
    /// synced again after a failed sync of it; and a single injected fault (but a failed delete
    /// of an obsolete file, which is retried at the next open) never passes silently. Returns
    /// the result (its violation, if any) and the history with the acknowledgements made.
    public static func judge(
        _ outcome: WorkloadRunner.Outcome, on faulty: FaultInjectingFileSystem, plan: Plan,
        writeAfterFailure: (Database, Int, Bool, any Error, inout ModelHistory) -> String?
    ) -> (Result, ModelHistory) {
        var result = Result()
        result.failedStep = outcome.failedStep
        var history = outcome.history
        func fail(_ text: String) -> (Result, ModelHistory) {
            result.violation = text
            return (result, history)
        }
        if let error = outcome.error {
            result.surfaced = true
            guard isIOError(error) else {
                return fail("step \(outcome.failedStep ?? -2) failed with \(error), not an I/O failure or writesDisabled")
            }
            if let db = outcome.database {
                // Reads keep working (unless a failure while applying a commit closed the database).
                // The commit that threw is in the history as if it might have taken effect; which
                // state the database really holds is what the next write builds on.
                var visible = history.states.count - 1
                do {
                    visible = try RecoveryCheck.matchState(db, history, what: "reading after the failure").0
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
                if let failure = writeAfterFailure(db, visible, disabled, error, &history) { return fail(failure) }
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
        if let retried = faulty.syncsAfterFailure.first {
            // The kernel may drop pages whose writeback failed; a retried fsync then reports
            // success for them.
            return fail("\(retried) was synced again after a sync of it failed")
        }
        result.injected = faulty.injectedFaultCount
        // Deleting an obsolete WAL or segment file may fail quietly (logged): the next open
        // deletes it again. Every other failure must be reported (checked for single-fault
        // plans, where the failed call is known).
        if result.injected > 0, !result.surfaced, plan.rules.count == 1, plan.rules[0].operation != .remove {
            return fail("\(result.injected) injected fault(s) (\(plan)) and no error surfaced: a silent success")
        }
        return (result, history)
    }
}
