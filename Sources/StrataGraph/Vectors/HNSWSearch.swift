/// A node met by a walk, with its distance to the query.
struct HNSWCandidate: Comparable {
    var distance: Float
    var slot: UInt32

    static func < (a: HNSWCandidate, b: HNSWCandidate) -> Bool {
        a.distance != b.distance ? a.distance < b.distance : a.slot < b.slot
    }
}

/// A binary heap of candidates: the nearest on top (`max == false`) or the farthest.
struct HNSWHeap {
    private(set) var items: [HNSWCandidate] = []
    let max: Bool

    init(max: Bool, capacity: Int = 0) {
        self.max = max
        items.reserveCapacity(capacity)
    }

    var count: Int { items.count }
    var isEmpty: Bool { items.isEmpty }

    /// Empties the heap, keeping its storage (the search scratch reuses it).
    mutating func clear() { items.removeAll(keepingCapacity: true) }
    var top: HNSWCandidate? { items.first }

    @inline(__always)
    private func above(_ a: HNSWCandidate, _ b: HNSWCandidate) -> Bool { max ? b < a : a < b }

    mutating func push(_ item: HNSWCandidate) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard above(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> HNSWCandidate? {
        guard !items.isEmpty else { return nil }
        let result = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < items.count else { break }
                var best = left
                if left + 1 < items.count, above(items[left + 1], items[left]) { best = left + 1 }
                guard above(items[best], items[parent]) else { break }
                items.swapAt(best, parent)
                parent = best
            }
        }
        return result
    }
}

/// Where a walk reads nodes: a snapshot through the shared cache, or a transaction's overlay.
protocol HNSWNodeSource {
    /// The node in `slot`, or nil when the slot holds none.
    mutating func node(_ slot: UInt32) throws -> HNSWNodeState?
    /// The neighbours of `slot` at `level` that `visited` does not hold yet (now inserted), with
    /// their states, appended to `into` (at most one lock for the whole list).
    mutating func expand(_ slot: UInt32, level: Int, visited: inout Set<UInt32>, into: inout [(UInt32, HNSWNodeState)]) throws
}

/// The HNSW walks (Malkov & Yashunin, 2018): greedy descent through the upper layers, the
/// best-first search of one layer, and the neighbour-selection heuristic.
enum HNSWWalk {
    /// Greedy descent at `level` from `start`: the nearest node reachable by always stepping closer.
    static func greedy<S: HNSWNodeSource>(
        _ query: [Float], from start: HNSWCandidate, level: Int, metric: DistanceMetric, source: inout S
    ) throws -> HNSWCandidate {
        var current = start
        var changed = true
        var scratch: [(UInt32, HNSWNodeState)] = []
        while changed {
            changed = false
            var visited: Set<UInt32> = [current.slot]
            scratch.removeAll(keepingCapacity: true)
            try source.expand(current.slot, level: level, visited: &visited, into: &scratch)
            for (slot, state) in scratch {
                let candidate = HNSWCandidate(distance: VectorKernel.distance(query, state.point.vector, metric: metric), slot: slot)
                if candidate < current {
                    current = candidate
                    changed = true
                }
            }
        }
        return current
    }

    /// What a layer search found.
    struct LayerResult {
        /// The accepted nodes found, nearest first (at most `ef`).
        var nearest: [HNSWCandidate]
        /// Distances computed.
        var scanned: Int
        /// Whether the walk stopped at its budget before it could finish.
        var budgetExhausted: Bool
        /// Whether every reachable node was visited.
        var graphExhausted: Bool
    }

    /// Best-first search of `level` from `entries` (visited already), keeping the `ef` nearest
    /// nodes that `accept` takes; refused nodes are still walked through. With `twoHop`, the
    /// neighbours of a refused neighbour are looked at too (ACORN), so a walk under a selective
    /// filter reaches the nodes that pass. Stops at `budget` distances.
    static func searchLayer<S: HNSWNodeSource>(
        _ query: [Float], entries: [(HNSWCandidate, accepted: Bool)], ef: Int, level: Int, metric: DistanceMetric,
        source: inout S, budget: Int = .max, twoHop: Bool = false,
        accept: (UInt32, HNSWNodeState) throws -> Bool
    ) throws -> LayerResult {
        var visited = Set<UInt32>(minimumCapacity: ef * 8)
        var candidates = HNSWHeap(max: false, capacity: ef * 2)
        var results = HNSWHeap(max: true, capacity: ef + 1)
        for (entry, accepted) in entries {
            visited.insert(entry.slot)
            candidates.push(entry)
            if accepted { results.push(entry) }
        }
        while results.count > ef { results.pop() }
        var scanned = 0
        var budgetExhausted = false
        var neighbours: [(UInt32, HNSWNodeState)] = []
        var second: [(UInt32, HNSWNodeState)] = []
        func consider(_ slot: UInt32, _ state: HNSWNodeState) throws -> Bool {
            let candidate = HNSWCandidate(distance: VectorKernel.distance(query, state.point.vector, metric: metric), slot: slot)
            scanned += 1
            let accepted = try accept(slot, state)
            if results.count < ef || candidate < results.top! {
                candidates.push(candidate)
                if accepted {
                    results.push(candidate)
                    if results.count > ef { results.pop() }
                }
            }
            return accepted
        }
        while let current = candidates.pop() {
            if results.count >= ef, let worst = results.top, worst < current { break }
            if scanned >= budget {
                budgetExhausted = true
                break
            }
            neighbours.removeAll(keepingCapacity: true)
            try source.expand(current.slot, level: level, visited: &visited, into: &neighbours)
            for (slot, state) in neighbours {
                let accepted = try consider(slot, state)
                if twoHop, !accepted {
                    second.removeAll(keepingCapacity: true)
                    try source.expand(slot, level: level, visited: &visited, into: &second)
                    for (hop, hopState) in second { _ = try consider(hop, hopState) }
                }
            }
        }
        var nearest = results.items
        nearest.sort()
        return LayerResult(
            nearest: nearest, scanned: scanned, budgetExhausted: budgetExhausted,
            graphExhausted: candidates.isEmpty && !budgetExhausted)
    }

    /// The HNSW heuristic: from `candidates` (nearest first, with their prepared vectors) keep a
    /// candidate only if it is nearer the base than every one kept so far, up to `limit`.
    static func selectNeighbours(
        _ candidates: [(HNSWCandidate, [Float])], limit: Int, metric: DistanceMetric
    ) -> [UInt32] {
        guard candidates.count > limit else { return candidates.map(\.0.slot) }
        var kept: [(HNSWCandidate, [Float])] = []
        kept.reserveCapacity(limit)
        for candidate in candidates {
            if kept.count >= limit { break }
            var good = true
            for other in kept where VectorKernel.distance(candidate.1, other.1, metric: metric) < candidate.0.distance {
                good = false
                break
            }
            if good { kept.append(candidate) }
        }
        return kept.map(\.0.slot)
    }
}
