import StrataEngine

extension GraphReader {
    /// The HNSW walk: greedy descent from the entry point, then a best-first search of layer 0
    /// keeping the `ef` nearest live nodes that `accept` takes.
    func walk(
        _ query: [Float], k: Int, ef: Int, definition: EmbeddingSpace, graph: VectorGraphKey, header: HNSWHeader,
        twoHop: Bool, budget: Int, accept: ((NodeID) throws -> Bool)?
    ) throws -> VectorSearchResult {
        var source = SnapshotSource(
            graph: graph, space: definition, view: view, cache: vectorIndex.cache(for: graph), sequence: snapshot.sequence)
        let metric = definition.metric
        let query = VectorKernel.prepared(query, metric: metric)
        guard let entry = header.entry, let entryState = try source.node(entry) else {
            return VectorSearchResult(hits: [], scanned: 0, filterExhausted: true)
        }
        var nearest = HNSWCandidate(distance: VectorKernel.distance(query, entryState.point.vector, metric: metric), slot: entry)
        var scanned = 1
        for level in stride(from: header.maxLevel, to: 0, by: -1) {
            nearest = try HNSWWalk.greedy(query, from: nearest, level: level, metric: metric, source: &source)
        }
        func accepts(_ slot: UInt32, _ state: HNSWNodeState) throws -> Bool {
            guard state.isLive, let id = state.point.id else { return false }
            return try accept?(id) ?? true
        }
        let start = nearest.slot == entry ? entryState : try source.node(nearest.slot)
        let startAccepted = try start.map { try accepts(nearest.slot, $0) } ?? false
        let found = try HNSWWalk.searchLayer(
            query, entries: [(nearest, accepted: startAccepted)], ef: ef, level: 0, metric: metric, source: &source,
            budget: budget, twoHop: twoHop, accept: accepts)
        scanned += found.scanned
        var hits = try found.nearest.prefix(k).compactMap { candidate in
            try source.node(candidate.slot)?.point.id.map { VectorHit(id: $0, distance: candidate.distance) }
        }
        hits.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        let short = hits.count < k
        return VectorSearchResult(
            hits: hits, scanned: scanned, filterExhausted: short && !found.budgetExhausted,
            budgetExhausted: short && found.budgetExhausted)
    }
}

/// A snapshot's nodes through the shared cache: entries valid for the snapshot are used, others
/// are read from the snapshot's rows and offered to the cache (which keeps them only if they are
/// the latest state). One lock per expanded node.
struct SnapshotSource: HNSWNodeSource {
    let graph: VectorGraphKey
    let space: EmbeddingSpace
    let view: GraphView<Snapshot>
    let cache: HNSWGraphCache
    let sequence: UInt64

    private func read(_ slot: UInt32) throws -> HNSWNodeState? {
        try HNSWNodeState.read(slot: slot, graph: graph, space: space, hnsw: view.hnsw, embeddings: view.embeddings)
    }

    private func offer(_ states: [(UInt32, HNSWNodeState)]) {
        guard !states.isEmpty else { return }
        let usage = cache.usage
        cache.state.withLock { state in
            for (slot, node) in states { HNSWGraphCache.store(slot, node, readAt: sequence, in: &state, usage: usage) }
        }
    }

    func node(_ slot: UInt32) throws -> HNSWNodeState? {
        if let cached = cache.state.withLock({ $0.entry(slot, at: sequence) }) { return cached }
        guard let state = try read(slot) else { return nil }
        offer([(slot, state)])
        return state
    }

    func expand(_ slot: UInt32, level: Int, visited: inout Set<UInt32>, into: inout [(UInt32, HNSWNodeState)]) throws {
        var misses: [UInt32] = []
        let sequence = self.sequence
        let found = cache.state.withLock { state -> Bool in
            guard let node = state.entry(slot, at: sequence) else { return false }
            guard level < node.neighbours.count else { return true }
            for neighbour in node.neighbours[level] where visited.insert(neighbour).inserted {
                if let next = state.entry(neighbour, at: sequence) { into.append((neighbour, next)) } else { misses.append(neighbour) }
            }
            return true
        }
        if !found {
            guard let node = try node(slot), level < node.neighbours.count else { return }
            for neighbour in node.neighbours[level] where visited.insert(neighbour).inserted { misses.append(neighbour) }
            if !misses.isEmpty {
                // Some may be cached: look once more under one lock.
                let pending = misses
                misses.removeAll()
                cache.state.withLock { state in
                    for neighbour in pending {
                        if let next = state.entry(neighbour, at: sequence) { into.append((neighbour, next)) } else { misses.append(neighbour) }
                    }
                }
            }
        }
        var loaded: [(UInt32, HNSWNodeState)] = []
        for neighbour in misses {
            if let state = try read(neighbour) { loaded.append((neighbour, state)) }
        }
        offer(loaded)
        into.append(contentsOf: loaded)
    }
}
