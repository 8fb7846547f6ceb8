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
        // Greedy descent through the upper layers (a new pass per layer: the marks only skip
        // nodes already scored on that layer, which can never be nearer than the current one).
        var found: [HNSWScored] = []
        for level in stride(from: header.maxLevel, to: 0, by: -1) {
            search.scratch.begin(slots: Int(header.slotCount))
            _ = search.scratch.visit(nearest.slot)
            var changed = true
            while changed {
                changed = false
                found.removeAll(keepingCapacity: true)
                try search.expand(nearest.slot, level: level, into: &found)
                for hit in found where hit.candidate < nearest.candidate {
                    nearest = hit
                    changed = true
                }
            }
        }
        func accepts(_ hit: HNSWScored) throws -> Bool {
            guard hit.live else { return false }
            guard let accept else { return true }
            guard let id = hit.id else { return false }
            return try accept(id)
        }
        // Best-first search of layer 0.
        search.scratch.begin(slots: Int(header.slotCount))
        _ = search.scratch.visit(nearest.slot)
        var candidates = HNSWHeap(max: false)
        var results = HNSWHeap(max: true)
        swap(&candidates, &search.scratch.candidates)
        swap(&results, &search.scratch.results)
        var second: [HNSWScored] = []
        swap(&found, &search.scratch.found)
        swap(&second, &search.scratch.second)
        defer {
            swap(&candidates, &search.scratch.candidates)
            swap(&results, &search.scratch.results)
            swap(&found, &search.scratch.found)
            swap(&second, &search.scratch.second)
        }
        var ids: [UInt32: NodeID] = [:]
        candidates.push(nearest.candidate)
        if try accepts(nearest) {
            results.push(nearest.candidate)
            if let id = nearest.id { ids[nearest.slot] = id }
        }
        var budgetExhausted = false
        func consider(_ hit: HNSWScored) throws -> Bool {
            let accepted = try accepts(hit)
            let candidate = hit.candidate
            if results.count < ef || candidate < results.top! {
                candidates.push(candidate)
                if accepted {
                    results.push(candidate)
                    if let id = hit.id { ids[hit.slot] = id }
                    if results.count > ef { results.pop() }
                }
            }
            return accepted
        }
        while let current = candidates.pop() {
            if results.count >= ef, let worst = results.top, worst < current { break }
            if search.scanned >= budget {
                budgetExhausted = true
                break
            }
            found.removeAll(keepingCapacity: true)
            try search.expand(current.slot, level: 0, into: &found)
            for hit in found {
                let accepted = try consider(hit)
                if twoHop, !accepted {
                    second.removeAll(keepingCapacity: true)
                    try search.expand(hit.slot, level: 0, into: &second)
                    for hop in second { _ = try consider(hop) }
                }
            }
        }
        var nearestFound = results.items
        nearestFound.sort()
        var hits: [VectorHit] = []
        for candidate in nearestFound.prefix(k) {
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
