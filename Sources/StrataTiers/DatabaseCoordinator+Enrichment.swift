import StrataEngine
import StrataGraph

/// What one or more enrichment batches did.
public struct EnrichmentBatch: Hashable, Sendable {
    /// Tasks taken from the queue.
    public var taken = 0
    /// Tasks whose knowledge write is durable and which left the queue.
    public var completed = 0
    /// Tasks dropped because their message no longer exists (or is not a message).
    public var dropped = 0
    /// Tasks that failed and went back to the end of their priority.
    public var retried = 0
    /// Tasks that failed for the last time and were set aside in `enrich.failed`.
    public var setAside = 0

    /// Adds `other`'s counts to these.
    mutating func add(_ other: EnrichmentBatch) {
        taken += other.taken
        completed += other.completed
        dropped += other.dropped
        retried += other.retried
        setAside += other.setAside
    }
}

extension DatabaseCoordinator {
    private enum Outcome {
        case run(Node)
        case drop
        case fail(String)
    }

    /// Runs one batch: takes up to `limit` (default ``Configuration/batchSize``) tasks in
    /// priority order, runs their handlers into the knowledge database in one transaction (per
    /// task if that one fails) at ``Configuration/knowledgeDurability``, and only then removes
    /// them from the queue. A crash anywhere leaves each task either queued (it runs again:
    /// handlers are idempotent) or done with its knowledge durable: at least once.
    ///
    /// - Throws: `knowledgeUnavailable` when the knowledge database is (nothing is taken);
    ///   an I/O failure of either database (tasks not yet removed stay queued).
    @discardableResult
    public func runEnrichment(limit: Int? = nil) throws -> EnrichmentBatch {
        let limit = limit ?? configuration.batchSize
        guard limit >= 1 else { throw TierError.invalid("limit", "\(limit) must be at least 1") }
        return try worker.withLock { _ in try runBatch(limit: limit) }
    }

    /// Runs batches until the queue is empty (failing tasks are retried until set aside);
    /// returns the sums.
    @discardableResult
    public func runEnrichmentUntilIdle() throws -> EnrichmentBatch {
        var total = EnrichmentBatch()
        while true {
            let batch = try runEnrichment()
            total.add(batch)
            if batch.taken == 0 { return total }
        }
    }

    private func runBatch(limit: Int) throws -> EnrichmentBatch {
        let knowledge = try knowledge()
        // Knowledge moves wait for the batch: its handlers write beside the records it promoted.
        // A knowledge storage failure closes knowledge only after the pause (closing stops its
        // background worker, which may be waiting for the pause to end).
        do {
            return try knowledge.withMovesPaused { try runBatch(limit: limit, into: knowledge) }
        } catch let failure as KnowledgeStorageFailure {
            knowledgeFailed(failure.cause)
            throw failure.cause
        }
    }

    /// A storage failure of the knowledge database inside a batch (carried out of the pause).
    private struct KnowledgeStorageFailure: Error {
        let cause: any Error
    }

    private func runBatch(limit: Int, into knowledge: TieredMemoryStore) throws -> EnrichmentBatch {
        let tasks = try queue.take(limit)
        var batch = EnrichmentBatch(taken: tasks.count)
        guard !tasks.isEmpty else { return batch }
        var outcomes = try tasks.map { try outcome(of: $0) }
        let runnable = tasks.indices.filter { if case .run = outcomes[$0] { true } else { false } }
        let messages = runnable.map { tasks[$0].message }
        do {
            try promoteReferences(messages, in: knowledge)
        } catch {
            if CoordinatorError.isStorageFailure(error) { throw KnowledgeStorageFailure(cause: error) }
            throw error
        }
        do {
            try knowledge.active.write(durability: configuration.knowledgeDurability) { graph in
                for index in runnable { if case .run(let node) = outcomes[index] { try enrich(node, tasks[index].kind, graph) } }
            }
        } catch {
            if CoordinatorError.isStorageFailure(error) { throw KnowledgeStorageFailure(cause: error) }
            // One task's handler failed: run each alone, so the others still complete.
            for index in runnable {
                guard case .run(let node) = outcomes[index] else { continue }
                do {
                    try knowledge.active.write(durability: configuration.knowledgeDurability) { graph in
                        try enrich(node, tasks[index].kind, graph)
                    }
                } catch {
                    if CoordinatorError.isStorageFailure(error) { throw KnowledgeStorageFailure(cause: error) }
                    outcomes[index] = .fail("\(error)")
                }
            }
        }
        do {
            try foldShadows(linkedFrom: messages, in: knowledge)
        } catch {
            if CoordinatorError.isStorageFailure(error) { throw KnowledgeStorageFailure(cause: error) }
            throw error
        }
        // The knowledge is durable: now the tasks may go.
        try conversations.active.database.write { transaction in
            for (task, outcome) in zip(tasks, outcomes) {
                switch outcome {
                case .run:
                    try queue.complete([task], in: transaction)
                    batch.completed += 1
                case .drop:
                    try queue.complete([task], in: transaction)
                    batch.dropped += 1
                case .fail(let reason):
                    if try queue.retry(task, error: reason, maxAttempts: configuration.maxAttempts, in: transaction) {
                        batch.retried += 1
                    } else {
                        batch.setAside += 1
                    }
                }
            }
        }
        return batch
    }

    /// The message a task is about, or why it cannot run now.
    private func outcome(of task: EnrichmentTask) throws -> Outcome {
        guard task.kind == .index || configuration.handlers.contains(where: { $0.kind == task.kind }) else {
            return .fail("no handler for the enrichment kind \(task.kind)")
        }
        do {
            guard let node = try message(task.message), node.kind == .message else { return .drop }
            return .run(node)
        } catch {
            // The tier holding the message is unreadable (reported in statistics): retry later.
            return .fail("\(error)")
        }
    }

    /// Stores the message's reference node (if missing), then runs the kind's handler.
    private func enrich(_ message: Node, _ kind: EnrichmentKind, _ graph: GraphTransaction) throws {
        if try graph.node(message.id) == nil {
            var properties: Properties = ["conversation": .string(message.message?.conversation.description ?? "")]
            if let role = message.message?.role { properties["role"] = .string(role.name) }
            try graph.insert(Node(
                id: message.id, namespace: message.namespace, createdAt: message.createdAt,
                .custom(CustomNode(kind: Self.messageReferenceKind, properties: properties))))
        }
        guard kind != .index else { return }
        guard let handler = configuration.handlers.first(where: { $0.kind == kind }) else { return }
        try handler.enrich(message, knowledge: graph)
    }
}
