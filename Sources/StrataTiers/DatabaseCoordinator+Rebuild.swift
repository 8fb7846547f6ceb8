#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

extension DatabaseCoordinator {
    /// Replaces the knowledge database with a new, empty one and queues every message of the
    /// conversations database (every tier) for enrichment again; returns how many messages
    /// were queued. Run ``runEnrichmentUntilIdle()`` (or batches) afterwards to fill it.
    ///
    /// The old `knowledge/` directory, if any, is kept aside as `knowledge.replaced-<ms>/` (for
    /// inspection; delete it when done). Tasks already queued stay: they run again harmlessly.
    ///
    /// - Throws: what reading a conversations tier throws (the new knowledge database is then
    ///   open, and the messages queued so far stay queued; call again to finish).
    @discardableResult
    public func rebuildKnowledge() throws -> Int {
        try worker.withLock { _ in
            let old = knowledgeState.withLock { state in
                defer { state.store = nil }
                return state.store
            }
            try? old?.close()
            let path = root + "/knowledge"
            let files = FileManager.default
            if files.fileExists(atPath: path) {
                let aside = root + "/knowledge.replaced-\(Int64(configuration.tiers.clock().timeIntervalSince1970 * 1000))"
                do { try files.moveItem(atPath: path, toPath: aside) } catch {
                    let typed = CoordinatorError.typed(error)
                    knowledgeState.withLock { $0.health = .unavailable(typed) }
                    throw typed
                }
            }
            do {
                let fresh = try TieredMemoryStore.open(at: path, configuration: configuration.tiers)
                try KnowledgeIdentity.record(try KnowledgeIdentity.identity(of: fresh), in: queue)
                knowledgeState.withLock { $0 = KnowledgeState(store: fresh, health: .available) }
            } catch {
                let typed = CoordinatorError.typed(error)
                knowledgeState.withLock { $0.health = .unavailable(typed) }
                throw typed
            }
            let queued = try requeueAll()
            wakeEnrichment()
            return queued
        }
    }

    /// Queues every message of every namespace again, in transactions of ``Configuration/batchSize``.
    private func requeueAll() throws -> Int {
        let tasks = configuration.tasks.map { (kind: $0.kind, priority: $0.priority) }
        var queued = 0
        for namespace in try queue.namespaces() {
            let messages = try conversations.nodes(in: namespace, kind: .message)
            var start = 0
            while start < messages.count {
                let chunk = messages[start..<min(start + configuration.batchSize, messages.count)]
                try conversations.active.database.write { transaction in
                    for message in chunk { try queue.enqueue(tasks, for: message.id, namespace: namespace, in: transaction) }
                }
                start += chunk.count
                queued += chunk.count
            }
        }
        return queued
    }
}
