#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataGraph

/// The reference model of a ``TiersWorkload``: what a caller of the tiered store must read,
/// whichever tier holds each record. Every write of the workload is synced, so after a power
/// loss the store must show the model after the last step that returned, except for what the
/// step cut short touched (``uncertain``, ``uncertainMentions``): that may show its state before
/// or after the step, never twice.
public struct TiersModel: Sendable {
    /// What a record must read as (its id aside).
    public struct Record: Hashable, Sendable, CustomStringConvertible {
        public var kind: NodeKind
        public var createdAt: Date
        /// The conversation of a message.
        public var conversation: NodeID?
        /// A conversation's title, a message's text, an entity's name.
        public var text: String
        /// Whether it has a vector in the space `e` (messages).
        public var hasVector: Bool

        public var description: String { "\(kind) created \(createdAt.timeIntervalSince1970) \(conversation.map { "in \($0) " } ?? "")\"\(text)\"" }

        /// The same facts read from `node`.
        init(_ node: Node, hasVector: Bool) {
            kind = node.kind
            createdAt = node.createdAt
            switch node.content {
            case .conversation(let c): text = c.title
            case .message(let m):
                text = m.content.text
                conversation = m.conversation
            case .entity(let e): text = e.name
            default: text = ""
            }
            self.hasVector = hasVector
        }
    }

    /// A `MENTIONS` edge.
    public struct Mention: Hashable, Sendable, CustomStringConvertible {
        public var from: NodeID
        public var to: NodeID
        public var description: String { "\(from)->\(to)" }
    }

    /// The records that exist.
    public var records: [NodeID: Record] = [:]
    /// The `MENTIONS` edges that exist.
    public var mentions: Set<Mention> = []
    /// Records that existed and were forgotten (or evicted and not yet imported back).
    public var gone: Set<NodeID> = []
    /// Records the step cut short by the power loss was changing: either state may show.
    public var uncertain: Set<NodeID> = []
    /// Edges the step cut short was changing.
    public var uncertainMentions: Set<Mention> = []

    public init() {}

    /// The messages of `conversation`, oldest first (ties by id).
    public func messages(of conversation: NodeID) -> [NodeID] {
        records.filter { $0.value.conversation == conversation }
            .sorted { ($0.value.createdAt, $0.key) < ($1.value.createdAt, $1.key) }.map(\.key)
    }

    /// This model (before a step) with what differs from `next` (after it) marked uncertain.
    public func uncertain(toward next: TiersModel) -> TiersModel {
        var result = self
        for id in Set(records.keys).union(next.records.keys) where records[id] != next.records[id] { result.uncertain.insert(id) }
        result.uncertainMentions.formUnion(mentions.symmetricDifference(next.mentions))
        return result
    }

    /// Whether `id` must be readable (exists, not uncertain).
    func mustExist(_ id: NodeID) -> Bool { records[id] != nil && !uncertain.contains(id) }
    /// Whether `id` may be readable.
    func mayExist(_ id: NodeID) -> Bool { records[id] != nil || uncertain.contains(id) }
}
