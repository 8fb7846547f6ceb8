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

    /// The `k` nodes of `namespace` nearest `query` in `space` that pass `filter`, nearest first.
    ///
    /// Unfiltered, the search walks the HNSW graph of the namespace and space with a candidate
    /// list of `ef` (nil: ``VectorIndexConfiguration/efSearch``, never below `k`); a graph of at
    /// most ``VectorIndexConfiguration/exactScanBound`` live vectors is compared exactly. With a
    /// filter, the candidates come from the structural index (the conversation's messages, the
    /// time range, the kinds, the memory kinds): at most `exactScanBound` of them are compared
    /// exactly, more are searched by a walk that applies the filter inside the loop, goes on until
    /// it holds `k` passing nodes or ``VectorIndexConfiguration/filterScanBudget`` distances, and
    /// expands two hops when few nodes pass. Fewer than `k` hits is never silent:
    /// ``VectorSearchResult/filterExhausted`` or ``VectorSearchResult/budgetExhausted`` says why.
    ///
    /// - Throws: `missingRecord` for an unknown space, `dimensionMismatch` or `nonFiniteVector`
    ///   for a bad query (`invalidField` for a zero query under cosine), `invalidField` for k < 1,
    ///   k or ef above ``GraphLimits/maxNearestK``, or ef < k.
    public func nearest(
        to query: [Float], k: Int, in space: String, namespace: String, filter: VectorFilter = .none, ef: Int? = nil
    ) throws -> VectorSearchResult {
        let definition = try checkedSearch(query, k: k, in: space, ef: ef)
        let ef = max(ef ?? vectorIndex.configuration.efSearch, k)
        let graph = VectorGraphKey(namespace: namespace, space: space)
        guard view.hasHNSW, let headerBytes = try view.hnsw.get(graph.headerKey) else {
            return try exactNearest(query, k: k, definition: definition, namespace: namespace, filter: filter)
        }
        let header = try HNSWHeader.decode(headerBytes, context: "HNSW header of \(namespace)/\(space)")
        let bound = vectorIndex.configuration.exactScanBound
        if filter.isEmpty {
            if header.live <= bound {
                return try exactNearest(query, k: k, definition: definition, namespace: namespace, filter: filter)
            }
            let accept: ((NodeID) throws -> Bool)? = anyExpired ? { try isVisible($0) } : nil
            return try walk(query, k: k, ef: ef, definition: definition, graph: graph, header: header, twoHop: false, budget: .max, accept: accept)
        }
        guard let (candidates, checkRecord) = try filterCandidates(filter, space: space, namespace: namespace) else {
            return VectorSearchResult(hits: [], scanned: 0, filterExhausted: true)
        }
        if candidates.count <= bound {
            return try exactScan(query, k: k, definition: definition, namespace: namespace, filter: filter, candidates: candidates, checkRecord: checkRecord)
        }
        let allowed = Set(candidates)
        let twoHop = Double(allowed.count) < vectorIndex.configuration.twoHopFraction * Double(max(header.live, 1))
        return try walk(
            query, k: k, ef: ef, definition: definition, graph: graph, header: header, twoHop: twoHop,
            budget: vectorIndex.configuration.filterScanBudget
        ) { id in
            guard allowed.contains(id) else { return false }
            return try admits(id, filter: filter, namespace: namespace, checkRecord: checkRecord)
        }
    }

    /// ``nearest(to:k:in:namespace:filter:ef:)`` by brute force: every candidate the filter
    /// allows is compared exactly (the ground truth of tests and benchmarks).
    public func exactNearest(
        to query: [Float], k: Int, in space: String, namespace: String, filter: VectorFilter = .none
    ) throws -> VectorSearchResult {
        let definition = try checkedSearch(query, k: k, in: space, ef: nil)
        return try exactNearest(query, k: k, definition: definition, namespace: namespace, filter: filter)
    }

    /// The space called `space`, once the query, k and ef pass.
    private func checkedSearch(_ query: [Float], k: Int, in space: String, ef: Int?) throws -> EmbeddingSpace {
        guard let definition = try view.space(named: space) else { throw GraphError.missing("embedding space \(space)") }
        try NodeValidation.check(query, for: definition)
        guard k >= 1 else { throw GraphError.invalidField("k", "\(k) must be at least 1") }
        guard k <= GraphLimits.maxNearestK else {
            throw GraphError.invalidField("k", "\(k) is over the limit of \(GraphLimits.maxNearestK)")
        }
        if let ef {
            guard ef >= k else { throw GraphError.invalidField("ef", "\(ef) is below k (\(k))") }
            guard ef <= GraphLimits.maxNearestK else {
                throw GraphError.invalidField("ef", "\(ef) is over the limit of \(GraphLimits.maxNearestK)")
            }
        }
        return definition
    }

    private func exactNearest(
        _ query: [Float], k: Int, definition: EmbeddingSpace, namespace: String, filter: VectorFilter
    ) throws -> VectorSearchResult {
        guard let (candidates, checkRecord) = try filterCandidates(filter, space: definition.name, namespace: namespace) else {
            return VectorSearchResult(hits: [], scanned: 0, filterExhausted: true)
        }
        return try exactScan(query, k: k, definition: definition, namespace: namespace, filter: filter, candidates: candidates, checkRecord: checkRecord)
    }

    /// Whether the candidate `id` passes the parts of `filter` its index did not imply.
    func admits(_ id: NodeID, filter: VectorFilter, namespace: String, checkRecord: Bool) throws -> Bool {
        if checkRecord {
            // A predicate sees the record as every query returns it (derived fields filled in).
            let record = filter.predicate == nil ? try view.storedNode(id) : try view.node(id).map(withVisibleMentions)
            guard let node = record, node.namespace == namespace, isVisible(node), filter.admits(node) else { return false }
            return true
        }
        return try isVisible(id)
    }

    /// The ids `filter` allows in `namespace`, from the narrowest index it allows, and whether
    /// each candidate's record must still be checked; nil when nothing can pass.
    func filterCandidates(_ filter: VectorFilter, space: String, namespace: String) throws -> (ids: [NodeID], checkRecord: Bool)? {
        // A candidate's record is read only for what that index does not already imply: expiry
        // (its header only) and the filter's other conditions (the whole record).
        var candidates: [NodeID] = []
        var checkRecord = filter.predicate != nil
        if let conversation = filter.conversation {
            // The conversation's messages, in the range if one is given.
            if let kinds = filter.kinds, !kinds.contains(.message) { return nil }
            if filter.restrictsMemories { return nil }
            guard try view.nodeHeader(conversation)?.namespace == namespace else { return nil }
            candidates = try view.indexedIDs(
                prefix: TupleKey(IndexKey.Tag.conversation.rawValue, conversation), from: filter.createdIn?.lowerBound,
                to: filter.createdIn?.upperBound)
        } else if filter.restrictsMemories {
            // The importance index: (namespace, memory kind, importance ≥ the bound). The index
            // orders -0 before +0 and an importance of -0 is valid: a bound of zero starts at -0.
            if let kinds = filter.kinds, !kinds.contains(.memory) { return nil }
            let lowest = filter.minImportance.map { $0 == 0 ? -0.0 : $0 } ?? -Double.infinity
            for memoryKind in Memory.Kind.allCases where filter.memoryKinds?.contains(memoryKind) ?? true {
                candidates += try view.indexedIDs(
                    prefix: TupleKey(IndexKey.Tag.importance.rawValue, namespace, memoryKind.rawValue),
                    from: lowest)
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
        return (candidates, checkRecord)
    }

    /// Compares `query` with the vector of every candidate that passes.
    private func exactScan(
        _ query: [Float], k: Int, definition: EmbeddingSpace, namespace: String, filter: VectorFilter,
        candidates: [NodeID], checkRecord: Bool
    ) throws -> VectorSearchResult {
        let space = definition.name
        var hits: [VectorHit] = []
        var scanned = 0
        let vectorBytes = definition.dimension * 4
        for id in candidates {
            guard try admits(id, filter: filter, namespace: namespace, checkRecord: checkRecord) else { continue }
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
