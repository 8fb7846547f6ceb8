#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a node holds beyond the common fields: one case per kind.
public enum NodeContent: Hashable, Sendable {
    case conversation(Conversation)
    case message(Message)
    case entity(Entity)
    case summary(Summary)
    case memory(Memory)
    case custom(CustomNode)

    /// The kind this content makes a node.
    public var kind: NodeKind {
        switch self {
        case .conversation: .conversation
        case .message: .message
        case .entity: .entity
        case .summary: .summary
        case .memory: .memory
        case .custom(let custom): .custom(custom.kind)
        }
    }

    /// The nodes this one hangs off (deleting any of them deletes this one): a message's
    /// conversation and parent, a summary's subject, a memory's source, a custom node's owner.
    public var owners: [NodeID] {
        switch self {
        case .conversation, .entity: []
        case .message(let message): [message.conversation] + (message.parent.map { [$0] } ?? [])
        case .summary(let summary): [summary.subject]
        case .memory(let memory): memory.source.map { [$0] } ?? []
        case .custom(let custom): custom.owner.map { [$0] } ?? []
        }
    }
}

/// One record of the graph: an id, a namespace, times, and its kind's fields.
///
/// ```swift
/// let chat = Node(namespace: "user-42", .conversation(Conversation(title: "Trip")))
/// let hello = Node(namespace: "user-42", .message(Message(conversation: chat.id, role: .user, text: "Hi")))
/// try store.write { graph in
///     try graph.insert(chat)
///     try graph.insert(hello)
/// }
/// ```
public struct Node: Hashable, Sendable, Identifiable {
    /// Unique across the store.
    public var id: NodeID
    /// The tenant, agent or user scope (1 to ``GraphLimits/maxNamespaceBytes`` bytes). Every
    /// query is scoped to one; edges never cross namespaces.
    public var namespace: String
    /// When it was made; it orders the time indexes. Kept by updates.
    public var createdAt: Date
    /// When it last changed (an update sets it to the store's clock unless the caller moved it).
    public var updatedAt: Date
    /// When it stops existing: from this moment every query hides it, and ``MemoryStore/expire(now:)``
    /// deletes it.
    public var expiresAt: Date?
    /// The record's version: 1 for an insert, +1 for each update (set by the store).
    public var version: UInt64
    public var content: NodeContent

    /// A node; `id` defaults to a new time-ordered id and both times to `createdAt`.
    public init(
        id: NodeID? = nil, namespace: String, createdAt: Date = Date(), expiresAt: Date? = nil, _ content: NodeContent
    ) {
        self.id = id ?? NodeID.generate(at: createdAt)
        self.namespace = namespace
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.expiresAt = expiresAt
        self.version = 0
        self.content = content
    }

    /// The node's kind.
    public var kind: NodeKind { content.kind }

    /// The message, if this is one.
    public var message: Message? {
        if case .message(let message) = content { return message }
        return nil
    }

    /// The entity, if this is one.
    public var entity: Entity? {
        if case .entity(let entity) = content { return entity }
        return nil
    }

    /// The memory, if this is one.
    public var memory: Memory? {
        if case .memory(let memory) = content { return memory }
        return nil
    }

    /// The conversation, if this is one.
    public var conversation: Conversation? {
        if case .conversation(let conversation) = content { return conversation }
        return nil
    }

    /// Whether it has expired at `now`.
    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}
