import StrataEngine

/// A search of one graph on a snapshot, through the graph's cache: a node whose cached row is
/// valid for the snapshot (``HNSWGraphCache``) is scored in place under the cache's lock (one
/// lock per expanded node, no copy of its vector or list); any other is read from the snapshot's
/// rows, scored, and offered to the cache. Made inside `query.withUnsafeBufferPointer` (it keeps
/// the pointer) and ended by ``finish()``, which hands the scratch back to the cache.
struct HNSWSnapshotSearch {
    let graph: VectorGraphKey
    let space: EmbeddingSpace
    let view: GraphView<Snapshot>
    let cache: HNSWGraphCache
    let sequence: UInt64
    /// The prepared query, valid while the search lives.
    let query: UnsafeBufferPointer<Float>
    /// Whether scored nodes carry their ids (a filter or an expiry check needs them).
    let wantIDs: Bool
    var scratch: HNSWSearchScratch
    /// Distances computed.
    var scanned = 0

    init(
        graph: VectorGraphKey, space: EmbeddingSpace, view: GraphView<Snapshot>, cache: HNSWGraphCache, sequence: UInt64,
        query: UnsafeBufferPointer<Float>, wantIDs: Bool
    ) {
        self.graph = graph
        self.space = space
        self.view = view
        self.cache = cache
        self.sequence = sequence
        self.query = query
        self.wantIDs = wantIDs
        self.scratch = cache.scratch.withLock { $0.popLast() } ?? HNSWSearchScratch()
    }

    /// Hands the scratch back for the next search.
    mutating func finish() {
        var taken = HNSWSearchScratch()
        swap(&taken, &scratch)
        cache.scratch.withLock { pool in
            if pool.count < 4 { pool.append(taken) }
        }
    }

    private func read(_ slot: UInt32) throws -> HNSWNodeState? {
        try HNSWNodeState.read(slot: slot, graph: graph, space: space, hnsw: view.hnsw, embeddings: view.embeddings)
    }

    private func offer(_ slot: UInt32, _ node: HNSWNodeState) {
        let usage = cache.usage
        let sequence = self.sequence
        cache.state.withLock { HNSWGraphCache.store(slot, node, readAt: sequence, in: &$0, usage: usage) }
    }

    private func scored(_ slot: UInt32, _ node: HNSWNodeState) -> HNSWScored {
        let distance = node.point.vector.withUnsafeBufferPointer { vector in
            VectorKernel.distance(query.baseAddress!, vector.baseAddress!, count: query.count, metric: space.metric)
        }
        return HNSWScored(slot: slot, distance: distance, live: node.isLive, id: wantIDs ? node.point.id : nil)
    }

    /// The node in `slot` scored, or nil when the slot holds none.
    mutating func score(_ slot: UInt32) throws -> HNSWScored? {
        scanned += 1
        let (query, sequence, metric, wantIDs) = (self.query, self.sequence, space.metric, self.wantIDs)
        let cached = cache.state.withLock { state -> HNSWScored? in
            guard let row = state.row(slot, at: sequence) else { return nil }
            let distance = state.rows.vectors.withUnsafeBufferPointer { vectors in
                VectorKernel.distance(query.baseAddress!, vectors.baseAddress! + Int(row) * query.count, count: query.count, metric: metric)
            }
            return HNSWScored(slot: slot, distance: distance, live: state.rows.live[Int(row)], id: wantIDs ? state.rows.info[Int(row)].id : nil)
        }
        if let cached { return cached }
        guard let node = try read(slot) else { return nil }
        offer(slot, node)
        return scored(slot, node)
    }

    /// The id of the live node in `slot`, or nil.
    func id(of slot: UInt32) throws -> NodeID? {
        let sequence = self.sequence
        let cached = cache.state.withLock { state -> NodeID?? in
            state.row(slot, at: sequence).map { state.rows.info[Int($0)].id }
        }
        if let cached { return cached }
        return try read(slot)?.point.id
    }

    /// Appends to `into` the neighbours of `slot` at `level` that this pass has not visited yet
    /// (now marked), scored.
    mutating func expand(_ slot: UInt32, level: Int, into: inout [HNSWScored]) throws {
        scratch.misses.removeAll(keepingCapacity: true)
        if !expandCached(slot, level: level, into: &into) {
            guard let node = try read(slot) else { return }
            offer(slot, node)
            guard level < node.neighbours.count else { return }
            for neighbour in node.neighbours[level] where scratch.visit(neighbour) { scratch.misses.append(neighbour) }
        }
        guard !scratch.misses.isEmpty else { return }
        var misses: [UInt32] = []
        swap(&misses, &scratch.misses)
        defer { swap(&misses, &scratch.misses) }
        for neighbour in misses {
            if let hit = try score(neighbour) { into.append(hit) }
        }
    }

    /// Under one lock: when `slot` is cached, marks its unvisited neighbours at `level`, scores
    /// the cached ones into `into` and lists the rest in the misses. false when it is not cached.
    private mutating func expandCached(_ slot: UInt32, level: Int, into: inout [HNSWScored]) -> Bool {
        let (query, sequence, metric, wantIDs) = (self.query, self.sequence, space.metric, self.wantIDs)
        var scratch = HNSWSearchScratch()
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        var scanned = 0
        defer { self.scanned += scanned }
        return cache.state.withLock { state -> Bool in
            guard let row = state.row(slot, at: sequence) else { return false }
            let rows = state.rows
            let dimension = query.count
            return rows.vectors.withUnsafeBufferPointer { vectors in
                func visit(_ neighbour: UInt32) {
                    guard scratch.visit(neighbour) else { return }
                    guard let next = state.row(neighbour, at: sequence) else {
                        scratch.misses.append(neighbour)
                        return
                    }
                    let distance = VectorKernel.distance(
                        query.baseAddress!, vectors.baseAddress! + Int(next) * dimension, count: dimension, metric: metric)
                    scanned += 1
                    into.append(HNSWScored(slot: neighbour, distance: distance, live: rows.live[Int(next)], id: wantIDs ? rows.info[Int(next)].id : nil))
                }
                if level == 0 {
                    let start = Int(row) * rows.stride
                    rows.lists.withUnsafeBufferPointer { lists in
                        for index in start..<start + Int(rows.counts[Int(row)]) { visit(lists[index]) }
                    }
                } else {
                    let upper = rows.info[Int(row)].upper
                    guard level <= upper.count else { return true }
                    for neighbour in upper[level - 1] { visit(neighbour) }
                }
                return true
            }
        }
    }
}
extension HNSWSnapshotSearch: HNSWScorer {}
