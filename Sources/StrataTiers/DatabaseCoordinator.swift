#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import Synchronization

/// Seed 000's two databases under one root, each a ``TieredMemoryStore``: `conversations/`,
/// the source of truth, and `knowledge/`, derived from it by enrichment (entities, mentions,
/// embeddings). Inserting a message queues its enrichment tasks in the message's own
/// transaction (``EnrichmentQueue``); ``runEnrichment(limit:)`` runs them through the
/// application's handlers into `knowledge`, at least once each, even across crashes.
///
/// The knowledge database is isolated: if it is damaged, missing or unopenable, conversations
/// keep working (inserts queue their tasks), ``statistics()`` reports the failure, and
/// ``rebuildKnowledge()`` makes a new one by replaying enrichment from the source.
///
/// ```swift
/// let coordinator = try DatabaseCoordinator.open(at: "/var/lib/agent", configuration: .init(
///     handlers: [EmbeddingHandler(model: myModel), EntityExtractionHandler(extractor: myExtractor)]))
/// let chat = try coordinator.conversations.active.insert(Node(namespace: "u", .conversation(Conversation(title: "Trip"))))
/// let ask = try coordinator.insertMessage(Node(namespace: "u", .message(Message(conversation: chat.id, role: .user, text: "Paris?"))))
/// try coordinator.runEnrichmentUntilIdle()
/// let mentioned = try coordinator.entities(of: ask.id)
/// ```
public final class DatabaseCoordinator: Sendable {
    /// The kind of the node that stands for a message in the knowledge database (same id as the
    /// message): what `MENTIONS` edges start from and embeddings hang on.
    public static let messageReferenceKind = "message_ref"

    /// The root directory (`conversations/` and `knowledge/` under it).
    public let root: String
    /// The coordinator's configuration.
    public let configuration: Configuration
    /// The source of truth: conversations and messages. Insert messages with
    /// ``insertMessage(_:durability:)`` so that they are enriched; anything else directly.
    public let conversations: TieredMemoryStore
    let queue: EnrichmentQueue
    let knowledgeState: Mutex<KnowledgeState>
    let failures = Mutex([TierFailureKey: StrataError]())
    /// Held by a running enrichment batch or rebuild: one at a time.
    let worker = Mutex(0)
    /// The background enrichment worker (``Configuration/backgroundEnrichment``), until close.
    let enrichmentWorker = Mutex<BackgroundWorker?>(nil)

    struct KnowledgeState {
        var store: TieredMemoryStore?
        var health: DatabaseHealth
    }

    struct TierFailureKey: Hashable {
        var database: String
        var tier: Tier
    }

    /// Opens (creating them if missing) both databases under `root`. A knowledge database that
    /// cannot be opened does not fail the open: it is reported by ``statistics()``.
    ///
    /// - Throws: `invalidArgument` for a bad configuration; what
    ///   ``TieredMemoryStore/open(at:configuration:)`` throws for the conversations database.
    public static func open(at root: String, configuration: Configuration = .init()) throws -> DatabaseCoordinator {
        try configuration.validate()
        let conversations = try TieredMemoryStore.open(at: root + "/conversations", configuration: configuration.tiers)
        do {
            let queue = try EnrichmentQueue.open(in: conversations.active.database)
            let coordinator = DatabaseCoordinator(
                root: root, configuration: configuration, conversations: conversations, queue: queue,
                knowledge: openKnowledge(root: root, configuration: configuration, queue: queue))
            if configuration.backgroundEnrichment { coordinator.startEnrichmentWorker() }
            return coordinator
        } catch {
            try? conversations.close()
            throw error
        }
    }

    private init(
        root: String, configuration: Configuration, conversations: TieredMemoryStore, queue: EnrichmentQueue,
        knowledge: KnowledgeState
    ) {
        self.root = root
        self.configuration = configuration
        self.conversations = conversations
        self.queue = queue
        self.knowledgeState = Mutex(knowledge)
    }

    /// Opens `knowledge/` and pairs it with the source; any failure becomes the state's health.
    static func openKnowledge(root: String, configuration: Configuration, queue: EnrichmentQueue) -> KnowledgeState {
        let store: TieredMemoryStore
        do {
            store = try TieredMemoryStore.open(at: root + "/knowledge", configuration: configuration.tiers)
        } catch {
            return KnowledgeState(store: nil, health: .unavailable(CoordinatorError.typed(error)))
        }
        do {
            return KnowledgeState(store: store, health: try KnowledgeIdentity.pair(store, with: queue))
        } catch {
            try? store.close()
            return KnowledgeState(store: nil, health: .unavailable(CoordinatorError.typed(error)))
        }
    }

    /// Stops the background enrichment worker (letting its batch finish), then closes both databases.
    public func close() throws {
        enrichmentWorker.withLock { $0 }?.stop()
        let knowledge = knowledgeState.withLock { state in
            defer { state.store = nil; state.health = .unavailable(StrataError(.closed, "the coordinator is closed")) }
            return state.store
        }
        var firstError: (any Error)?
        do { try knowledge?.close() } catch { firstError = error }
        do { try conversations.close() } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    /// The knowledge database, when it is available.
    ///
    /// - Throws: `knowledgeUnavailable` when it is not (the cause in the message and in ``statistics()``).
    public func knowledge() throws -> TieredMemoryStore {
        try knowledgeState.withLock { state in
            if let store = state.store { return store }
            if case .unavailable(let cause) = state.health { throw CoordinatorError.knowledgeUnavailable(cause) }
            throw CoordinatorError.knowledgeUnavailable(StrataError(.closed, "not open"))
        }
    }

    /// Marks the knowledge database failed after `error` (an I/O failure or damage found in use).
    func knowledgeFailed(_ error: any Error) {
        knowledgeState.withLock { state in
            try? state.store?.close()
            state.store = nil
            state.health = .unavailable(CoordinatorError.typed(error))
        }
    }

    // MARK: Writes

    /// Inserts `message` (a message node) into the conversations database's active tier and
    /// queues its enrichment tasks (``Configuration/tasks``) in the same transaction: once the
    /// message is committed, so are its tasks. Works whatever the knowledge database's state.
    ///
    /// - Throws: `wrongKind` for a node that is not a message; what
    ///   ``GraphTransaction/insert(_:)`` throws (nothing is written then).
    @discardableResult
    public func insertMessage(_ message: Node, durability: Durability? = nil) throws -> Node {
        try insertMessages([message], durability: durability)[0]
    }

    /// Inserts `messages` (in order) and queues their tasks, all in one transaction.
    ///
    /// - Throws: as ``insertMessage(_:durability:)``; nothing is written if any is refused.
    @discardableResult
    public func insertMessages(_ messages: [Node], durability: Durability? = nil) throws -> [Node] {
        for message in messages where message.kind != .message {
            throw StrataError(.wrongKind, "insertMessage takes message nodes; \(message.id) is a \(message.kind)")
        }
        let tasks = configuration.tasks.map { (kind: $0.kind, priority: $0.priority) }
        let stored = try conversations.active.write(durability: durability) { graph in
            try messages.map { message in
                let stored = try graph.insert(message)
                try queue.enqueue(tasks, for: stored.id, namespace: stored.namespace, in: graph.engineTransaction)
                return stored
            }
        }
        wakeEnrichment()
        return stored
    }
}
