#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A summary of another node (usually a conversation), covering a time range of it. It hangs off
/// its subject: deleting the subject deletes the summary.
public struct Summary: Hashable, Sendable {
    /// What it summarises (a node of the same namespace).
    public var subject: NodeID
    public var text: String
    /// The span of the subject it covers (for a conversation: the messages' times), if known.
    public var covering: Range<Date>?

    public init(subject: NodeID, text: String, covering: Range<Date>? = nil) {
        self.subject = subject
        self.text = text
        self.covering = covering
    }
}
