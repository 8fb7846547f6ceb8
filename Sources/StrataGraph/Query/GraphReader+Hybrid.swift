import StrataEngine

/// An entity a hybrid search reached through the messages nearest its query.
public struct HybridEntity: Sendable {
    /// The entity's record.
    public var entity: Node
    /// Its rank score: the sum, over the nearest messages that mention it, of 1 / (rank + 1)
    /// (rank 0 is the nearest message).
    public var score: Double
    /// The nearest messages that mention it, nearest first.
    public var mentionedBy: [NodeID]
}

/// What ``GraphReader/hybridSearch(to:messages:in:namespace:filter:ef:entityLimit:)`` found.
public struct HybridSearchResult: Sendable {
    /// The vector search over the messages (its hits nearest first, and why it found fewer than
    /// asked, if it did).
    public var messages: VectorSearchResult
    /// The entities those messages mention, best first: higher score, then the rank of their
    /// nearest mentioning message, then id.
    public var entities: [HybridEntity]
}

extension GraphReader {
    /// A vector search over messages followed by graph expansion, in one call on this reader's
    /// snapshot: the `messages` messages of `namespace` nearest `query` in `space` (passing
    /// `filter`, whose kinds are narrowed to messages), then the entities they mention
    /// (``EdgeType/mentions``), ranked by reciprocal rank summed over the messages mentioning
    /// each (an entity mentioned by the nearest message and by the third scores 1 + 1/3), at
    /// most `entityLimit`. Expired or forgotten records are left out as every query leaves them.
    ///
    /// - Throws: as ``nearest(to:k:in:namespace:filter:ef:)`` (with k = `messages`), and
    ///   `invalidField` for `entityLimit` < 1.
    public func hybridSearch(
        to query: [Float], messages: Int, in space: String, namespace: String, filter: VectorFilter = .none,
        ef: Int? = nil, entityLimit: Int = 10
    ) throws -> HybridSearchResult {
        guard entityLimit >= 1 else { throw GraphError.invalidField("entityLimit", "\(entityLimit) must be at least 1") }
        var filter = filter
        filter.kinds = (filter.kinds ?? [.message]).intersection([.message])
        let found = try nearest(to: query, k: messages, in: space, namespace: namespace, filter: filter, ef: ef)
        var reached: [NodeID: (node: Node, score: Double, first: Int, by: [NodeID])] = [:]
        for (rank, hit) in found.hits.enumerated() {
            for entity in try entities(mentionedBy: hit.id) where entity.namespace == namespace {
                var entry = reached[entity.id] ?? (entity, 0, rank, [])
                entry.score += 1 / Double(rank + 1)
                entry.by.append(hit.id)
                reached[entity.id] = entry
            }
        }
        let ranked = reached.values.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.first != b.first { return a.first < b.first }
            return a.node.id < b.node.id
        }
        return HybridSearchResult(
            messages: found,
            entities: ranked.prefix(entityLimit).map { HybridEntity(entity: $0.node, score: $0.score, mentionedBy: $0.by) })
    }
}
