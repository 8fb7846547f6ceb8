import StrataEngine

extension GraphReader {
    /// The HNSW walk: greedy descent from the entry point, then a best-first search of layer 0
    /// keeping the `ef` nearest live nodes that `accept` takes (refused nodes are still walked
    /// through; with `twoHop`, the neighbours of a refused neighbour are scored too, ACORN-style,
    /// so that a walk under a selective filter reaches the nodes that pass). Stops at `budget`
    /// distances.
    func walk(
        _ query: [Float], k: Int, ef: Int, definition: EmbeddingSpace, graph: VectorGraphKey, header: HNSWHeader,
        twoHop: Bool, budget: Int, accept: ((NodeID) throws -> Bool)?
    ) throws -> VectorSearchResult {
        let prepared = VectorKernel.prepared(query, metric: definition.metric)
        return try prepared.withUnsafeBufferPointer { query in
            var search = HNSWSnapshotSearch(
                graph: graph, space: definition, view: view, cache: vectorIndex.cache(for: graph), sequence: snapshot.sequence,
                query: query, wantIDs: accept != nil)
            defer { search.finish() }
            return try walk(&search, k: k, ef: ef, header: header, twoHop: twoHop, budget: budget, accept: accept)
        }
    }

    private func walk(
        _ search: inout HNSWSnapshotSearch, k: Int, ef: Int, header: HNSWHeader, twoHop: Bool, budget: Int,
        accept: ((NodeID) throws -> Bool)?
    ) throws -> VectorSearchResult {
        guard let entry = header.entry, var nearest = try search.score(entry) else {
            return VectorSearchResult(hits: [], scanned: 0, filterExhausted: true)
        }
        let slots = Int(header.slotCount)
        nearest = try HNSWWalk.descend(&search, from: nearest, top: header.maxLevel, bottom: 0, slots: slots)
        var ids: [UInt32: NodeID] = [:]
        let found = try HNSWWalk.searchLayer(&search, entries: [nearest], ef: ef, level: 0, slots: slots, budget: budget, twoHop: twoHop) { hit in
            guard hit.live else { return false }
            guard let accept else { return true }
            guard let id = hit.id, try accept(id) else { return false }
            ids[hit.slot] = id
            return true
        }
        let budgetExhausted = found.budgetExhausted
        var hits: [VectorHit] = []
        for candidate in found.nearest.prefix(k) {
            if let id = ids[candidate.slot] {
                hits.append(VectorHit(id: id, distance: candidate.distance))
            } else if let id = try search.id(of: candidate.slot) {
                hits.append(VectorHit(id: id, distance: candidate.distance))
            }
        }
        hits.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        let short = hits.count < k
        return VectorSearchResult(
            hits: hits, scanned: search.scanned, filterExhausted: short && !budgetExhausted,
            budgetExhausted: short && budgetExhausted)
    }
}
