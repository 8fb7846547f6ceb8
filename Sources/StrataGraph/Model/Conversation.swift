/// A conversation: the container of messages (``Message/conversation`` points here). Deleting
/// it deletes its messages and what hangs off them.
public struct Conversation: Hashable, Sendable {
    /// Whether the conversation is going on.
    public enum Status: UInt8, Hashable, Sendable, CaseIterable {
        case active = 0
        case archived = 1
        case closed = 2
    }

    /// The title; may be empty.
    public var title: String
    /// The session (an application's grouping of conversations), if any.
    public var session: String?
    public var status: Status

    public init(title: String, session: String? = nil, status: Status = .active) {
        self.title = title
        self.session = session
        self.status = status
    }
}
