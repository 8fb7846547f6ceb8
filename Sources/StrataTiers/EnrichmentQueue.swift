import StrataEngine
import StrataGraph

/// The persistent enrichment queue, in three trees of the conversations database's active tier
/// (FORMAT.md, "Enrichment queue"). Tasks are queued in the transaction that writes their
/// message, so a committed message always has its tasks; a worker deletes a task only after the
/// knowledge write it made is durable, so every task runs at least once, even across crashes.
///
/// - `enrich.queue`: `(priority, sequence)` → `(kind, message, attempts)`, read in key order:
///   urgent first, then oldest first.
/// - `enrich.failed`: `(sequence)` → `(kind, message, attempts, priority, last error)`: tasks
///   that failed ``DatabaseCoordinator/Configuration/maxAttempts`` times.
/// - `enrich.meta`: `("next")` → the next sequence number; `("namespace", name)` → `()` for
///   every namespace a message was inserted in (what a rebuild replays); `("knowledge")` → the
///   identity of the knowledge database the source was enriched into.
struct EnrichmentQueue: Sendable {
    static let owner = TreeOwner("strata.enrichment")

    let queue: Tree
    let failed: Tree
    let meta: Tree

    static func open(in database: Database) throws -> EnrichmentQueue {
        EnrichmentQueue(
            queue: try database.ownedTree("enrich.queue", owner: owner),
            failed: try database.ownedTree("enrich.failed", owner: owner),
            meta: try database.ownedTree("enrich.meta", owner: owner))
    }

    private static let nextKey = TupleKey("next").bytes
    static let knowledgeKey = TupleKey("knowledge").bytes

    /// Queues one task per `(kind, priority)` for `message`, in `transaction`, and records its namespace.
    func enqueue(
        _ tasks: [(kind: EnrichmentKind, priority: EnrichmentPriority)], for message: NodeID, namespace: String,
        in transaction: Transaction
    ) throws {
        var next = try nextSequence(in: transaction)
        for task in tasks {
            try transaction.insert(
                TupleKey(task.kind.name, message, Int64(0)).bytes, forKey: TupleKey(task.priority.rawValue, next).bytes, in: queue)
            next += 1
        }
        try transaction.insert(TupleKey(next).bytes, forKey: Self.nextKey, in: meta)
        try transaction.insert([], forKey: TupleKey("namespace", namespace).bytes, in: meta)
    }

    private func nextSequence(in transaction: Transaction) throws -> UInt64 {
        guard let stored = try transaction[meta].get(Self.nextKey) else { return 1 }
        return try TupleKey(decoding: stored).value(at: 0, as: UInt64.self)
    }

    /// The first `limit` tasks in priority order (urgent first, then oldest first).
    func take(_ limit: Int) throws -> [EnrichmentTask] {
        var cursor = try queue.range(.unbounded, .unbounded)
        var tasks: [EnrichmentTask] = []
        while tasks.count < limit, let entry = try cursor.next() {
            tasks.append(try Self.decode(key: entry.key, value: entry.value))
        }
        return tasks
    }

    static func decode(key: [UInt8], value: [UInt8]) throws -> EnrichmentTask {
        let key = try TupleKey(decoding: key)
        let value = try TupleKey(decoding: value)
        let rank = try key.value(at: 0, as: UInt8.self)
        guard let priority = EnrichmentPriority(rawValue: rank) else {
            throw StrataError(.corruption, "enrichment queue row with priority \(rank)")
        }
        return EnrichmentTask(
            sequence: try key.value(at: 1, as: UInt64.self), priority: priority,
            kind: EnrichmentKind(try value.value(at: 0, as: String.self)),
            message: try value.value(at: 1, as: NodeID.self), attempts: Int(try value.value(at: 2, as: Int64.self)))
    }

    /// Removes finished tasks (in `transaction`).
    func complete(_ tasks: some Sequence<EnrichmentTask>, in transaction: Transaction) throws {
        for task in tasks { try transaction.remove(TupleKey(task.priority.rawValue, task.sequence).bytes, from: queue) }
    }

    /// Puts a failed task back at the end of its priority with one more attempt, or, at
    /// `maxAttempts`, into `enrich.failed` with `error`. Returns whether it was kept in the queue.
    func retry(_ task: EnrichmentTask, error: String, maxAttempts: Int, in transaction: Transaction) throws -> Bool {
        try complete([task], in: transaction)
        let attempts = task.attempts + 1
        if attempts >= maxAttempts {
            try transaction.insert(
                TupleKey(task.kind.name, task.message, Int64(attempts), task.priority.rawValue, error).bytes,
                forKey: TupleKey(task.sequence).bytes, in: failed)
            return false
        }
        let next = try nextSequence(in: transaction)
        try transaction.insert(
            TupleKey(task.kind.name, task.message, Int64(attempts)).bytes, forKey: TupleKey(task.priority.rawValue, next).bytes,
            in: queue)
        try transaction.insert(TupleKey(next + 1).bytes, forKey: Self.nextKey, in: meta)
        return true
    }

    /// Moves every task of `enrich.failed` back into the queue at the end of its priority, with
    /// no attempts counted (in `transaction`); returns how many.
    func replayFailed(in transaction: Transaction) throws -> Int {
        var cursor = try transaction[failed].range(.unbounded, .unbounded)
        var rows: [(key: [UInt8], value: TupleKey)] = []
        while let entry = try cursor.next() { rows.append((entry.key, try TupleKey(decoding: entry.value))) }
        var next = try nextSequence(in: transaction)
        for row in rows {
            let rank = try row.value.value(at: 3, as: UInt8.self)
            guard EnrichmentPriority(rawValue: rank) != nil else { throw StrataError(.corruption, "set-aside enrichment task with priority \(rank)") }
            try transaction.insert(
                TupleKey(try row.value.value(at: 0, as: String.self), try row.value.value(at: 1, as: NodeID.self), Int64(0)).bytes,
                forKey: TupleKey(rank, next).bytes, in: queue)
            try transaction.remove(row.key, from: failed)
            next += 1
        }
        if !rows.isEmpty { try transaction.insert(TupleKey(next).bytes, forKey: Self.nextKey, in: meta) }
        return rows.count
    }

    /// How many tasks wait, by priority (every priority listed, zero included).
    func pending() throws -> [EnrichmentPriority: Int] {
        var counts: [EnrichmentPriority: Int] = [:]
        for priority in EnrichmentPriority.allCases {
            counts[priority] = try queue.count(prefix: TupleKey.prefix(priority.rawValue))
        }
        return counts
    }

    /// How many tasks were set aside after failing too often.
    func failedCount() throws -> Int { try failed.count }

    /// Every namespace a message was inserted in.
    func namespaces() throws -> [String] {
        var cursor = try meta.scan(prefix: TupleKey.prefix("namespace"))
        var names: [String] = []
        while let entry = try cursor.next() { names.append(try TupleKey(decoding: entry.key).value(at: 1, as: String.self)) }
        return names
    }
}
