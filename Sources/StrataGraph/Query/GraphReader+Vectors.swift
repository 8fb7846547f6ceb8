#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

extension GraphReader {
    /// The embedding space called `name`, or nil.
    public func space(named name: String) throws -> EmbeddingSpace? {
        try view.space(named: name)
    }

    /// `id`'s vector in the space called `space`, or nil.
    public func vector(of id: NodeID, in space: String) throws -> [Float]? {
        guard let definition = try view.space(named: space) else { throw GraphError.missing("embedding space \(space)") }
        guard try isVisible(id) else { return nil }
        return try view.vector(of: id, in: definition)
    }

    /// The `k` nodes of `namespace` nearest `query` in `space` that pass `filter`, by exact
    /// comparison with every candidate (the candidates come from the structural index: the
    /// conversation's messages, the time range, or the namespace's vectors in the space).
    ///
    /// - Throws: `missingRecord` for an unknown space, `dimensionMismatch` or `nonFiniteVector`
    ///   for a bad query, `invalidField` for k < 1.
    public func nearest(
        to query: [Float], k: Int, in space: String, namespace: String, filter: VectorFilter = .none
    ) throws -> VectorSearchResult {
        guard let definition = try view.space(named: space) else { throw GraphError.missing("embedding space \(space)") }
        try NodeValidation.check(query, for: definition)
        guard k >= 1 else { throw GraphError.invalidField("k", "\(k) must be at least 1") }
        let candidates: [NodeID]
        // Candidates from the vector listing are in the namespace and space already: their records
        // are read only when the filter or expiry needs them.
        var needsRecords = true
        if let conversation = filter.conversation {
            candidates = try view.indexedIDs(
                prefix: TupleKey(IndexKey.Tag.conversation.rawValue, conversation), from: filter.createdIn?.lowerBound,
                to: filter.createdIn?.upperBound)
        } else if let range = filter.createdIn {
            candidates = try view.indexedIDs(
                prefix: TupleKey(IndexKey.Tag.time.rawValue, namespace), from: range.lowerBound, to: range.upperBound)
        } else {
            candidates = try view.indexedIDs(prefix: TupleKey(IndexKey.Tag.vector.rawValue, namespace, space))
            needsRecords = anyExpired || filter.kinds != nil || filter.predicate != nil
        }
        var hits: [VectorHit] = []
        var scanned = 0
        for id in candidates {
            guard let vector = try view.vector(of: id, in: definition) else { continue }
            if needsRecords {
                // A predicate sees the record as every query returns it (derived fields filled in).
                let record = filter.predicate == nil ? try view.storedNode(id) : try view.node(id)
                guard let node = record, node.namespace == namespace, isVisible(node), filter.admits(node)
                else { continue }
            }
            scanned += 1
            hits.append(VectorHit(id: id, distance: Distance.between(query, vector, metric: definition.metric)))
        }
        hits.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        let exhausted = hits.count < k
        return VectorSearchResult(hits: Array(hits.prefix(k)), scanned: scanned, filterExhausted: exhausted)
    }
}
