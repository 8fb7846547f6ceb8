import StrataEngine
import StrataGraph

extension DatabaseCoordinator {
    /// The message (or any node) `id` of the conversations database, from whatever tier holds
    /// it (``TieredMemoryStore/node(_:in:hint:)``). A failing tier is reported in ``statistics()``.
    public func message(_ id: NodeID, hint: TierHint = .any) throws -> Node? {
        try tracked("conversations", conversations, id) { try conversations.node(id, hint: hint) }
    }

    /// The entities message `id` mentions, by id (seed 000's `get_message_entities`): the
    /// `MENTIONS` edges of its reference node in the knowledge database, resolved there. Empty
    /// until the message's entity task has run.
    ///
    /// - Throws: `knowledgeUnavailable` when the knowledge database is.
    public func entities(of id: NodeID) throws -> [Node] {
        let knowledge = try knowledge()
        return try tracked("knowledge", knowledge, id) {
            let edges = try knowledge.edges(of: id, type: .mentions, direction: .outgoing)
            return try edges.compactMap { try knowledge.node($0.to) }.sorted { $0.id < $1.id }
        }
    }

    /// The messages (from the conversations database, whatever tier holds each, those `hint`
    /// allows) that mention entity `id` (a knowledge node), oldest first.
    ///
    /// - Throws: `knowledgeUnavailable` when the knowledge database is; what a read of the
    ///   conversation tier holding one of the messages throws (reported in ``statistics()``).
    public func messages(mentioning id: NodeID, hint: TierHint = .any) throws -> [Node] {
        let knowledge = try knowledge()
        let edges = try tracked("knowledge", knowledge, id) { try knowledge.edges(of: id, type: .mentions, direction: .incoming) }
        return try edges.compactMap { try message($0.from, hint: hint) }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }
}
