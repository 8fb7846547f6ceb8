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
        // Candidates come from the narrowest index the filter allows. A candidate's record is read
        // only for what that index does not already imply: expiry (its header only) and the
        // filter's other conditions (the whole record).
        let empty = VectorSearchResult(hits: [], scanned: 0, filterExhausted: true)
        var candidates: [NodeID] = []
        var checkRecord = filter.predicate != nil
        if let conversation = filter.conversation {
            // The conversation's messages, in the range if one is given.
            if let kinds = filter.kinds, !kinds.contains(.message) { return empty }
            if filter.restrictsMemories { return empty }
            guard try view.nodeHeader(conversation)?.namespace == namespace else { return empty }
            candidates = try view.indexedIDs(
                prefix: TupleKey(IndexKey.Tag.conversation.rawValue, conversation), from: filter.createdIn?.lowerBound,
                to: filter.createdIn?.upperBound)
        } else if filter.restrictsMemories {
            // The importance index: (namespace, memory kind, importance ≥ the bound).
            if let kinds = filter.kinds, !kinds.contains(.memory) { return empty }
            for memoryKind in Memory.Kind.allCases where filter.memoryKinds?.contains(memoryKind) ?? true {
                candidates += try view.indexedIDs(
                    prefix: TupleKey(IndexKey.Tag.importance.rawValue, namespace, memoryKind.rawValue),
                    from: filter.minImportance ?? -Double.infinity)
            }
            checkRecord = checkRecord || filter.createdIn != nil
        } else if let kinds = filter.kinds {
            // One scan of the kind index per kind, bounded by the range if one is given.
            for kind in kinds.sorted(by: { $0.name < $1.name }) {
                candidates += try view.indexedIDs(
                    prefix: TupleKey(IndexKey.Tag.kind.rawValue, namespace, kind.name), from: filter.createdIn?.lowerBound,
                    to: filter.createdIn?.upperBound)
            }
        } else if let range = filter.createdIn {
            candidates = try view.indexedIDs(
                prefix: TupleKey(IndexKey.Tag.time.rawValue, namespace), from: range.lowerBound, to: range.upperBound)
        } else {
            candidates = try view.indexedIDs(prefix: TupleKey(IndexKey.Tag.vector.rawValue, namespace, space))
        }
        var hits: [VectorHit] = []
        var scanned = 0
        let vectorBytes = definition.dimension * 4
        for id in candidates {
            if checkRecord {
                // A predicate sees the record as every query returns it (derived fields filled in).
                let record = filter.predicate == nil ? try view.storedNode(id) : try view.node(id).map(withVisibleMentions)
                guard let node = record, node.namespace == namespace, isVisible(node), filter.admits(node)
                else { continue }
            } else if try !isVisible(id) {
                continue
            }
            let distance = try view.embeddings.withValue(forKey: TupleKey(id, space).bytes) { raw -> Float? in
                guard let raw else { return nil }
                guard raw.count == vectorBytes else {
                    throw GraphError.corruption("vector of \(id) in \(space) has \(raw.count) bytes, not \(vectorBytes)")
                }
                return Distance.between(query, stored: raw, metric: definition.metric)
            }
            guard let distance else { continue }
            scanned += 1
            hits.append(VectorHit(id: id, distance: distance))
        }
        hits.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        let exhausted = hits.count < k
        return VectorSearchResult(hits: Array(hits.prefix(k)), scanned: scanned, filterExhausted: exhausted)
    }
}
