/// A node of an MW1 dataset: one of the four record kinds of MEMORY-WORKLOAD.md, with its fields.
///
/// The embedding a message or memory carries in `ingest.jsonl` (`"vec": r`) is not part of the
/// node: it travels beside it as the transaction's `MW1Embedding`, as a store keeps it in its own
/// table or tree.
public enum MW1Node: Sendable, Equatable {
    /// A conversation.
    case conversation(Conversation)
    /// A message of a conversation.
    case message(Message)
    /// An entity that messages mention.
    case entity(Entity)
    /// A memory derived from a message.
    case memory(Memory)

    /// The record kinds, as `"kind"` spells them.
    public enum Kind: String, Sendable, CaseIterable {
        /// `"conversation"`.
        case conversation
        /// `"message"`.
        case message
        /// `"entity"`.
        case entity
        /// `"memory"`.
        case memory
    }

    /// A conversation: `ns`, `title`, `ts` (its first message's time).
    public struct Conversation: Sendable, Equatable {
        /// `c` + 6 digits.
        public var id: String
        /// The namespace.
        public var namespace: String
        /// The title.
        public var title: String
        /// Milliseconds since the epoch.
        public var ts: Int64

        /// A conversation with these fields.
        public init(id: String, namespace: String, title: String, ts: Int64) {
            (self.id, self.namespace, self.title, self.ts) = (id, namespace, title, ts)
        }
    }

    /// A message's role.
    public enum Role: String, Sendable, CaseIterable {
        /// `"system"`.
        case system
        /// `"user"`.
        case user
        /// `"assistant"`.
        case assistant
        /// `"tool"`.
        case tool
    }

    /// A message: `ns`, `conversation`, `role`, `ts`, `text`, `tokens`.
    public struct Message: Sendable, Equatable {
        /// `m` + 8 digits.
        public var id: String
        /// The namespace (its conversation's).
        public var namespace: String
        /// The conversation's id.
        public var conversation: String
        /// Who wrote it.
        public var role: Role
        /// Milliseconds since the epoch, distinct across the dataset's messages.
        public var ts: Int64
        /// The content.
        public var text: String
        /// The token count.
        public var tokens: Int

        /// A message with these fields.
        public init(
            id: String, namespace: String, conversation: String, role: Role, ts: Int64, text: String, tokens: Int
        ) {
            (self.id, self.namespace, self.conversation, self.role) = (id, namespace, conversation, role)
            (self.ts, self.text, self.tokens) = (ts, text, tokens)
        }
    }

    /// An entity's type.
    public enum EntityType: String, Sendable, CaseIterable {
        /// `"person"`.
        case person
        /// `"place"`.
        case place
        /// `"organisation"`.
        case organisation
        /// `"concept"`.
        case concept
        /// `"product"`.
        case product
    }

    /// An entity: `ns`, `type`, `name`.
    public struct Entity: Sendable, Equatable {
        /// `e` + 7 digits.
        public var id: String
        /// The namespace.
        public var namespace: String
        /// Person, place, ...
        public var type: EntityType
        /// The name, unique in the dataset.
        public var name: String

        /// An entity with these fields.
        public init(id: String, namespace: String, type: EntityType, name: String) {
            (self.id, self.namespace, self.type, self.name) = (id, namespace, type, name)
        }
    }

    /// A memory's kind.
    public enum MemoryKind: String, Sendable, CaseIterable {
        /// `"episodic"`.
        case episodic
        /// `"semantic"`.
        case semantic
        /// `"procedural"`.
        case procedural
        /// `"working"`.
        case working
    }

    /// A memory: `ns`, `memory_kind`, `importance`, `ts`, `expires_at`, `text`, `tokens`, `source`.
    public struct Memory: Sendable, Equatable {
        /// `mem` + 7 digits.
        public var id: String
        /// The namespace (its source's).
        public var namespace: String
        /// Episodic, semantic, ...
        public var memoryKind: MemoryKind
        /// In [0, 1].
        public var importance: Double
        /// Milliseconds since the epoch.
        public var ts: Int64
        /// When it expires (milliseconds), or nil for never.
        public var expiresAt: Int64?
        /// The content.
        public var text: String
        /// The token count.
        public var tokens: Int
        /// The id of the message it was derived from.
        public var source: String

        /// A memory with these fields.
        public init(
            id: String, namespace: String, memoryKind: MemoryKind, importance: Double, ts: Int64,
            expiresAt: Int64?, text: String, tokens: Int, source: String
        ) {
            (self.id, self.namespace, self.memoryKind, self.importance) = (id, namespace, memoryKind, importance)
            (self.ts, self.expiresAt, self.text, self.tokens, self.source) = (ts, expiresAt, text, tokens, source)
        }
    }

    /// The node's id.
    public var id: String {
        switch self {
        case .conversation(let c): c.id
        case .message(let m): m.id
        case .entity(let e): e.id
        case .memory(let m): m.id
        }
    }

    /// The node's kind.
    public var kind: Kind {
        switch self {
        case .conversation: .conversation
        case .message: .message
        case .entity: .entity
        case .memory: .memory
        }
    }

    /// The node's namespace.
    public var namespace: String {
        switch self {
        case .conversation(let c): c.namespace
        case .message(let m): m.namespace
        case .entity(let e): e.namespace
        case .memory(let m): m.namespace
        }
    }

    /// The node's time in milliseconds; nil for an entity, which has none.
    public var ts: Int64? {
        switch self {
        case .conversation(let c): c.ts
        case .message(let m): m.ts
        case .entity: nil
        case .memory(let m): m.ts
        }
    }
}
