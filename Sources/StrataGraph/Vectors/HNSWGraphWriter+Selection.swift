/// The neighbour selection of a writer: the HNSW heuristic over vectors read in place (from the
/// overlay, the search cache or the rows) into two reused buffers, never copied into the overlay.
extension HNSWGraphWriter {
    /// Copies the prepared vector of `slot` into `target` (``EmbeddingSpace/dimension`` floats).
    /// Returns whether the node is live, or nil when the slot holds none.
    func copyVector(_ slot: UInt32, into target: UnsafeMutablePointer<Float>) throws -> Bool? {
        let dimension = space.dimension
        if overlay.holds(slot) {
            return overlay.withVector(slot) { vector, state in
                target.update(from: vector, count: dimension)
                return state.isLive
            }
        }
        let cached = cache.state.withLock { state -> Bool? in
            guard let row = state.row(slot, at: .max) else { return nil }
            state.rows.vectors.withUnsafeBufferPointer { target.update(from: $0.baseAddress! + Int(row) * dimension, count: dimension) }
            return state.rows.live[Int(row)]
        }
        if let cached { return cached }
        guard let state = try node(slot) else { return nil }
        state.point.vector.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: dimension) }
        return state.isLive
    }

    /// The HNSW heuristic: from `candidates` (nearest the base first) keep a candidate only if it
    /// is nearer the base than every one kept so far, up to `limit`.
    func selectNeighbours(_ candidates: [HNSWCandidate], limit: Int) throws -> [UInt32] {
        guard candidates.count > limit else { return candidates.map(\.slot) }
        let dimension = space.dimension
        let metric = space.metric
        if selection.count < (limit + 1) * dimension { selection = [Float](repeating: 0, count: (limit + 1) * dimension) }
        var kept: [UInt32] = []
        kept.reserveCapacity(limit)
        var buffer: [Float] = []
        swap(&buffer, &selection)
        defer { swap(&buffer, &selection) }
        try buffer.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for candidate in candidates {
                if kept.count >= limit { break }
                let vector = base + kept.count * dimension
                guard try copyVector(candidate.slot, into: vector) != nil else { continue }
                var good = true
                for index in 0..<kept.count
                where VectorKernel.distance(vector, base + index * dimension, count: dimension, metric: metric) < candidate.distance {
                    good = false
                    break
                }
                if good { kept.append(candidate.slot) }
            }
        }
        return kept
    }

    /// `list` cut to `limit` live nodes by the heuristic, measured from `base`.
    func pruned(_ list: [UInt32], around base: [Float], limit: Int) throws -> [UInt32] {
        let dimension = space.dimension
        let metric = space.metric
        if probe.count < dimension { probe = [Float](repeating: 0, count: dimension) }
        var buffer: [Float] = []
        swap(&buffer, &probe)
        defer { swap(&buffer, &probe) }
        var scored: [HNSWCandidate] = []
        scored.reserveCapacity(list.count)
        try base.withUnsafeBufferPointer { base in
            try buffer.withUnsafeMutableBufferPointer { buffer in
                for slot in list {
                    guard try copyVector(slot, into: buffer.baseAddress!) == true else { continue }
                    let distance = VectorKernel.distance(base.baseAddress!, buffer.baseAddress!, count: dimension, metric: metric)
                    scored.append(HNSWCandidate(distance: distance, slot: slot))
                }
            }
        }
        scored.sort()
        return try selectNeighbours(scored, limit: limit)
    }
}
