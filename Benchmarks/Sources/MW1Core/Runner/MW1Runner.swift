import BenchCore

/// Runs MEMORY-WORKLOAD.md's phases in order against one store and prints one `MW1Result` per
/// phase: ingest (close, `sync()`, bytes on disk, reopen), the query phases checked against
/// `truth.jsonl`, forget, expire, every query again against `truth-after-forget.jsonl` with
/// violations counted, and a timed reopen with its first `window` query.
public final class MW1Runner {
    /// Commits between durable points of the ingest.
    public static let durableEvery = 1000

    let dataset: MW1Dataset
    let store: any MW1Store
    let phases: Set<MW1Phase>
    let emit: (MW1Result) -> Void
    let log: (String) -> Void
    /// Query indexes per phase, in file order.
    let queriesByPhase: [MW1Phase: [Int]]
    /// What the run found, phase by phase.
    public private(set) var summary = MW1Summary()
    private var forgotten = false
    private var removed: Set<String> = []

    /// A runner of `phases` (the query phases, and forget/expire/recheck/reopen, to run; ingest
    /// always runs) that hands each line to `emit` and progress to `log`.
    public init(
        dataset: MW1Dataset, store: any MW1Store, phases: Set<MW1Phase> = Set(MW1Phase.allCases),
        emit: @escaping (MW1Result) -> Void, log: @escaping (String) -> Void = { _ in }
    ) {
        (self.dataset, self.store, self.phases, self.emit, self.log) = (dataset, store, phases, emit, log)
        var byPhase: [MW1Phase: [Int]] = [:]
        for (index, query) in dataset.queries.enumerated() { byPhase[query.phase, default: []].append(index) }
        queriesByPhase = byPhase
    }

    /// Runs every selected phase in order; returns the summary (also in `summary`).
    @discardableResult
    public func run() throws -> MW1Summary {
        try ingest()
        for phase in MW1Phase.queryPhases where phases.contains(phase) {
            try queryPhase(phase)
        }
        if !phases.isDisjoint(with: [.forget, .expire, .recheck]) {
            try forget()
            try expire()
            try recheck()
        }
        if phases.contains(.reopen) { try reopen() }
        return summary
    }

    private func result(_ phase: MW1Phase, _ log: LatencyLog) -> MW1Result {
        let (p50, p99) = log.percentiles()
        return MW1Result(
            store: store.name, phase: phase, n: log.count, opsPerSecond: log.opsPerSecond, p50Microseconds: p50,
            p99Microseconds: p99, milliseconds: log.milliseconds, dataset: dataset.manifest.name)
    }

    private func record(_ line: MW1Result) {
        summary.add(line)
        emit(line)
    }

    private func ingest() throws {
        let transactions = dataset.transactions
        var times = LatencyLog(capacity: transactions.count)
        log("ingest: \(transactions.count) transactions")
        times.start()
        for (index, transaction) in transactions.enumerated() {
            try times.time {
                try store.ingest(transaction)
                if (index + 1) % Self.durableEvery == 0 || index + 1 == transactions.count { try store.flushDurable() }
            }
            if (index + 1) % 100_000 == 0 { log("ingest: \(index + 1)") }
        }
        times.stop()
        try store.close()
        DiskUsage.syncAll()
        var line = result(.ingest, times)
        line.bytesOnDisk = try store.bytesOnDisk()
        try store.reopen()
        record(line)
    }

    /// Runs one query and scores it: returns the answer and whether it is right (exact phases;
    /// for `get`, the whole record must be as ingested).
    private func run(_ index: Int, truth: [String], times: inout LatencyLog) throws -> (answer: [String], exact: Bool) {
        let query = dataset.queries[index]
        if case .get(let id) = query {
            let record = try times.time { try store.get(id: id) }
            let exact = MW1AnswerCheck.isExactRecord(record, truth: truth, expected: dataset.nodes[id])
            return (record.map { [$0.id] } ?? [], exact)
        }
        let answer = try times.time { try store.answer(query) }
        return (answer, MW1AnswerCheck.isExact(answer, truth: truth))
    }

    private func queryPhase(_ phase: MW1Phase) throws {
        let indexes = queriesByPhase[phase] ?? []
        guard store.supportedPhases.contains(phase) else {
            log("\(phase.rawValue): not supported by \(store.name)")
            record(MW1Result(store: store.name, phase: phase, n: 0, supported: false, dataset: dataset.manifest.name))
            return
        }
        var times = LatencyLog(capacity: indexes.count)
        var wrong = 0
        var recall = 0.0
        times.start()
        for index in indexes {
            let truth = dataset.truth[index]
            let (answer, exact) = try run(index, truth: truth, times: &times)
            if phase.isVector {
                recall += MW1AnswerCheck.recall(answer, truth: truth)
            } else if !exact {
                wrong += 1
                if wrong <= 3 { log("\(phase.rawValue): query line \(index + 1) answered \(answer.prefix(5)), truth \(truth.prefix(5))") }
            }
        }
        times.stop()
        var line = result(phase, times)
        if phase.isVector {
            line.recall = indexes.isEmpty ? nil : recall / Double(indexes.count)
        } else {
            line.wrong = wrong
        }
        log("\(phase.rawValue): \(indexes.count) queries, \(phase.isVector ? "recall \(line.recall ?? 0)" : "\(wrong) wrong")")
        record(line)
    }

    private func forget() throws {
        var times = LatencyLog(capacity: dataset.forget.count)
        times.start()
        for item in dataset.forget {
            try times.time { try store.forget(kind: item.kind, id: item.id) }
        }
        times.stop()
        try store.flushDurable()
        forgotten = true
        removed = dataset.removedIDs()
        log("forget: \(dataset.forget.count) items; \(removed.count) records removed by forget and expiry")
        record(result(.forget, times))
    }

    private func expire() throws {
        let t0 = MonotonicClock.now()
        let count = try store.expire(nowMs: dataset.manifest.nowMs)
        try store.flushDurable()
        let elapsed = MonotonicClock.now() - t0
        let expected = dataset.expectedExpiryCount()
        if count != expected { log("expire: the sweep removed \(count) records, expected \(expected)") }
        record(MW1Result(
            store: store.name, phase: .expire, n: count,
            opsPerSecond: elapsed > 0 ? Double(count) / (Double(elapsed) / 1e9) : nil,
            wrong: count == expected ? 0 : 1, milliseconds: Double(elapsed) / 1e6, dataset: dataset.manifest.name))
    }

    private func recheck() throws {
        var all = LatencyLog(capacity: dataset.queries.count)
        var (wrong, violations, vectorQueries, recall) = (0, 0, 0, 0.0)
        for phase in MW1Phase.queryPhases where phases.contains(phase) && store.supportedPhases.contains(phase) {
            var times = LatencyLog(capacity: queriesByPhase[phase]?.count ?? 0)
            var (phaseWrong, phaseViolations) = (0, 0)
            times.start()
            for index in queriesByPhase[phase] ?? [] {
                let truth = dataset.truthAfterForget[index]
                let (answer, exact) = try run(index, truth: truth, times: &times)
                phaseViolations += MW1AnswerCheck.violations(answer, removed: removed)
                if phase.isVector {
                    recall += MW1AnswerCheck.recall(answer, truth: truth)
                    vectorQueries += 1
                } else if !exact {
                    phaseWrong += 1
                    if phaseWrong <= 3 { log("recheck \(phase.rawValue): query line \(index + 1) answered \(answer.prefix(5)), truth \(truth.prefix(5))") }
                }
            }
            times.stop()
            log("recheck \(phase.rawValue): \(times.count) queries, \(phaseWrong) wrong, \(phaseViolations) violations")
            (wrong, violations) = (wrong + phaseWrong, violations + phaseViolations)
            all.append(times)
        }
        var line = result(.recheck, all)
        line.wrong = wrong
        line.violations = violations
        line.recall = vectorQueries > 0 ? recall / Double(vectorQueries) : nil
        record(line)
    }

    private func reopen() throws {
        try store.close()
        let t0 = MonotonicClock.now()
        try store.reopen()
        let opened = MonotonicClock.now() - t0
        var line = MW1Result(
            store: store.name, phase: .reopen, n: 1, milliseconds: Double(opened) / 1e6, dataset: dataset.manifest.name)
        if let index = queriesByPhase[.window]?.first {
            let truth = forgotten ? dataset.truthAfterForget[index] : dataset.truth[index]
            var times = LatencyLog(capacity: 1)
            let (answer, exact) = try run(index, truth: truth, times: &times)
            line.p50Microseconds = times.percentiles().p50
            line.p99Microseconds = line.p50Microseconds
            line.wrong = exact ? 0 : 1
            line.violations = MW1AnswerCheck.violations(answer, removed: removed)
        }
        log("reopen: open \(line.milliseconds ?? 0) ms, first window \(line.p50Microseconds ?? 0) us")
        record(line)
    }
}

/// The totals of a run: what decides the exit status.
public struct MW1Summary: Sendable, Equatable {
    /// Every line, in order.
    public var results: [MW1Result] = []
    /// Wrong answers over all lines.
    public var wrong = 0
    /// Violations over all lines.
    public var violations = 0

    /// Whether every answer was right and nothing removed came back.
    public var passed: Bool { wrong == 0 && violations == 0 }

    mutating func add(_ line: MW1Result) {
        results.append(line)
        wrong += line.wrong ?? 0
        violations += line.violations ?? 0
    }
}
