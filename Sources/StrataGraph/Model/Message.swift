/// A message of a conversation, indexed by (conversation, time).
public struct Message: Hashable, Sendable {
    /// Who said it.
    public enum Role: UInt8, Hashable, Sendable, CaseIterable {
        case system = 0
        case user = 1
        case assistant = 2
        case tool = 3

        /// The role called `name` (`"user"`), or nil.
        public init?(named name: String) {
            switch name {
            case "system": self = .system
            case "user": self = .user
            case "assistant": self = .assistant
            case "tool": self = .tool
            default: return nil
            }
        }

        /// The role's name (`"user"`), what ``init(named:)`` reads; a constant, no formatting.
        public var name: String {
            switch self {
            case .system: "system"
            case .user: "user"
            case .assistant: "assistant"
            case .tool: "tool"
            }
        }
    }

    /// What a message holds.
    public enum Content: Hashable, Sendable {
        /// Plain text.
        case text(String)
        /// Structured content (a JSON-shaped value).
        case structured(PropertyValue)
        /// A tool's result for the call `callID`.
        case toolResult(callID: String, output: String)

        /// The content's text (a tool result's output; "" for structured content).
        public var text: String {
            switch self {
            case .text(let text): text
            case .toolResult(_, let output): output
            case .structured: ""
            }
        }
    }

    /// The conversation it belongs to (a ``NodeKind/conversation`` node of the same namespace).
    public var conversation: NodeID
    public var role: Role
    public var content: Content
    /// The message it answers in a thread (a message of the same conversation), if any. A reply
    /// hangs off its parent: deleting the parent deletes the reply.
    public var parent: NodeID?
    /// The token count (the application's tokenizer's).
    public var tokenCount: Int
    public var metadata: Properties

    public init(
        conversation: NodeID, role: Role, content: Content, parent: NodeID? = nil, tokenCount: Int = 0,
        metadata: Properties = [:]
    ) {
        self.conversation = conversation
        self.role = role
        self.content = content
        self.parent = parent
        self.tokenCount = tokenCount
        self.metadata = metadata
    }

    /// A text message.
    public init(conversation: NodeID, role: Role, text: String, tokenCount: Int = 0) {
        self.init(conversation: conversation, role: role, content: .text(text), tokenCount: tokenCount)
    }
}
