/// What a walk reads a graph through: it scores nodes against the walk's query and lists their
/// unvisited neighbours, scored. A reader's snapshot (``HNSWSnapshotSearch``) and a writer's
/// transaction (``HNSWWriterSearch``) both provide one, so that reads and writes share one walk.
protocol HNSWScorer {
    /// The visited marks, heaps and buffers of the walk.
    var scratch: HNSWSearchScratch { get set }
    /// Distances computed so far.
    var scanned: Int { get }
    /// The node in `slot` scored, or nil when the slot holds none.
    mutating func score(_ slot: UInt32) throws -> HNSWScored?
    /// Appends to `into` the neighbours of `slot` at `level` that this pass has not visited yet
    /// (now marked), scored.
    mutating func expand(_ slot: UInt32, level: Int, into: inout [HNSWScored]) throws
}

/// The HNSW walks (Malkov & Yashunin, 2018), for readers and writers alike: greedy descent
/// through the upper layers and the best-first search of one layer, over an ``HNSWScorer``.
/// Ties are ordered by (distance, slot), so a walk is a function of the graph's rows.
enum HNSWWalk {
    /// Greedy descent from `start` through the levels `top` down to `bottom + 1`: on each level
    /// the nearest node reachable by always stepping closer (a new pass per level: the marks only
    /// skip nodes already scored on that level, which can never be nearer than the current one).
    static func descend<S: HNSWScorer>(
        _ search: inout S, from start: HNSWScored, top: Int, bottom: Int, slots: Int
    ) throws -> HNSWScored {
        var nearest = start
        var found: [HNSWScored] = []
        swap(&found, &search.scratch.found)
        defer { swap(&found, &search.scratch.found) }
        var level = top
        while level > bottom {
            search.scratch.begin(slots: slots)
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
            level -= 1
        }
        return nearest
    }

    /// What a layer search found.
    struct LayerResult {
        /// The accepted nodes found, nearest first (at most `ef`).
        var nearest: [HNSWCandidate]
        /// Whether the walk stopped at its budget before it could finish.
        var budgetExhausted: Bool
    }

    /// Best-first search of `level` from `entries`, keeping the `ef` nearest nodes that `accept`
    /// takes; refused nodes are still walked through. With `twoHop`, the neighbours of a refused
    /// neighbour are scored too (ACORN), so that a walk under a selective filter reaches the
    /// nodes that pass. Stops once `budget` distances have been computed.
    static func searchLayer<S: HNSWScorer>(
        _ search: inout S, entries: [HNSWScored], ef: Int, level: Int, slots: Int, budget: Int = .max,
        twoHop: Bool = false, accept: (HNSWScored) throws -> Bool
    ) throws -> LayerResult {
        search.scratch.begin(slots: slots)
        var candidates = HNSWHeap(max: false)
        var results = HNSWHeap(max: true)
        var found: [HNSWScored] = []
        var second: [HNSWScored] = []
        swap(&candidates, &search.scratch.candidates)
        swap(&results, &search.scratch.results)
        swap(&found, &search.scratch.found)
        swap(&second, &search.scratch.second)
        defer {
            swap(&candidates, &search.scratch.candidates)
            swap(&results, &search.scratch.results)
            swap(&found, &search.scratch.found)
            swap(&second, &search.scratch.second)
        }
        for entry in entries {
            _ = search.scratch.visit(entry.slot)
            candidates.push(entry.candidate)
            if try accept(entry) { results.push(entry.candidate) }
        }
        while results.count > ef { results.pop() }
        var budgetExhausted = false
        func consider(_ hit: HNSWScored) throws -> Bool {
            let accepted = try accept(hit)
            let candidate = hit.candidate
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
            if search.scanned >= budget {
                budgetExhausted = true
                break
            }
            found.removeAll(keepingCapacity: true)
            try search.expand(current.slot, level: level, into: &found)
            for hit in found {
                let accepted = try consider(hit)
                if twoHop, !accepted {
                    second.removeAll(keepingCapacity: true)
                    try search.expand(hit.slot, level: level, into: &second)
                    for hop in second { _ = try consider(hop) }
                }
            }
        }
        var nearest = results.items
        nearest.sort()
        return LayerResult(nearest: nearest, budgetExhausted: budgetExhausted)
    }
}
