/// A walk inside a writing transaction (an insert's search): scores a node from the
/// transaction's overlay (``HNSWOverlay``) when it holds the slot, else from the search cache's
/// rows at the latest commit (the transaction holds the write lock, so for a slot it has not
/// touched the latest commit is what it sees), else from the transaction's rows (the node then
/// joins the overlay, and the cache after the commit). Neighbours are scored in list order
/// whatever is cached, so that the graph a transaction builds never depends on the cache.
/// Made inside `query.withUnsafeBufferPointer` (it keeps the pointer).
struct HNSWWriterSearch: HNSWScorer {
    let writer: HNSWGraphWriter
    /// The prepared query, valid while the search lives.
    let query: UnsafeBufferPointer<Float>
    var scratch: HNSWSearchScratch
    var scanned = 0

    init(writer: HNSWGraphWriter, query: UnsafeBufferPointer<Float>, scratch: HNSWSearchScratch) {
        self.writer = writer
        self.query = query
        self.scratch = scratch
    }

    @inline(__always)
    private func distance(_ vector: UnsafePointer<Float>) -> Float {
        VectorKernel.distance(query.baseAddress!, vector, count: query.count, metric: writer.space.metric)
    }

    private func scored(_ slot: UInt32, _ state: HNSWNodeState) -> HNSWScored {
        let distance = state.point.vector.withUnsafeBufferPointer { self.distance($0.baseAddress!) }
        return HNSWScored(slot: slot, distance: distance, live: state.isLive, id: nil)
    }

    mutating func score(_ slot: UInt32) throws -> HNSWScored? {
        scanned += 1
        if writer.overlay.holds(slot) { return writer.overlay[slot].map { scored(slot, $0) } }
        let dimension = query.count
        let cached = writer.cache.state.withLock { state -> HNSWScored? in
            guard let row = state.row(slot, at: .max) else { return nil }
            let distance = state.rows.vectors.withUnsafeBufferPointer { self.distance($0.baseAddress! + Int(row) * dimension) }
            return HNSWScored(slot: slot, distance: distance, live: state.rows.live[Int(row)], id: nil)
        }
        if let cached { return cached }
        return try writer.node(slot).map { scored(slot, $0) }
    }

    mutating func expand(_ slot: UInt32, level: Int, into: inout [HNSWScored]) throws {
        scratch.misses.removeAll(keepingCapacity: true)
        if writer.overlay.holds(slot) {
            guard let state = writer.overlay[slot], level < state.neighbours.count else { return }
            for neighbour in state.neighbours[level] where scratch.visit(neighbour) { scratch.misses.append(neighbour) }
        } else if !listCached(slot, level: level) {
            guard let state = try writer.node(slot), level < state.neighbours.count else { return }
            for neighbour in state.neighbours[level] where scratch.visit(neighbour) { scratch.misses.append(neighbour) }
        }
        guard !scratch.misses.isEmpty else { return }
        // In list order: the overlay's and the cache's nodes under one lock, a placeholder (NaN)
        // for each of the others, read from the rows after it.
        let start = into.count
        var unread = false
        let (misses, dimension) = (scratch.misses, query.count)
        scanned += misses.count
        do {
            // A copy for the loop (no access check per read); gone before the overlay changes.
            let overlay = writer.overlay
            writer.cache.state.withLock { state in
                state.rows.vectors.withUnsafeBufferPointer { vectors in
                    for neighbour in misses {
                        if overlay.holds(neighbour) {
                            if let hit = overlay.withVector(neighbour, { vector, node in
                                HNSWScored(slot: neighbour, distance: distance(vector), live: node.isLive, id: nil)
                            }) { into.append(hit) }
                        } else if let row = state.row(neighbour, at: .max) {
                            let distance = distance(vectors.baseAddress! + Int(row) * dimension)
                            into.append(HNSWScored(slot: neighbour, distance: distance, live: state.rows.live[Int(row)], id: nil))
                        } else {
                            into.append(HNSWScored(slot: neighbour, distance: .nan, live: false, id: nil))
                            unread = true
                        }
                    }
                }
            }
        }
        guard unread else { return }
        var index = start
        while index < into.count {
            if into[index].distance.isNaN {
                guard let state = try writer.node(into[index].slot) else {
                    into.remove(at: index)
                    continue
                }
                into[index] = scored(into[index].slot, state)
            }
            index += 1
        }
    }

    /// Under one lock: when `slot` is cached, lists its unvisited neighbours at `level` (now
    /// marked) in the misses. false when it is not cached.
    private mutating func listCached(_ slot: UInt32, level: Int) -> Bool {
        var scratch = HNSWSearchScratch()
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        return writer.cache.state.withLock { state -> Bool in
            guard let row = state.row(slot, at: .max) else { return false }
            if level == 0 {
                let start = Int(row) * state.rows.stride
                state.rows.lists.withUnsafeBufferPointer { lists in
                    for index in start..<start + Int(state.rows.counts[Int(row)]) where scratch.visit(lists[index]) {
                        scratch.misses.append(lists[index])
                    }
                }
            } else {
                let upper = state.rows.info[Int(row)].upper
                guard level <= upper.count else { return true }
                for neighbour in upper[level - 1] where scratch.visit(neighbour) { scratch.misses.append(neighbour) }
            }
            return true
        }
    }
}
