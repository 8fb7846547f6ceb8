/// A node a search met, scored against its query.
struct HNSWScored {
    var slot: UInt32
    var distance: Float
    var live: Bool
    /// The node's id, when the search asked for ids (a filter needs them), else nil.
    var id: NodeID?

    var candidate: HNSWCandidate { HNSWCandidate(distance: distance, slot: slot) }
}

/// The working memory of one search, handed back to its graph's cache when the search ends so
/// that the next one allocates nothing: the visited marks (a generation number per slot: a new
/// search bumps the generation instead of clearing a set), the two heaps and the buffers.
struct HNSWSearchScratch: Sendable {
    /// Per slot, the generation that last visited it.
    private var marks: [UInt32] = []
    private var generation: UInt32 = 0
    var candidates = HNSWHeap(max: false)
    var results = HNSWHeap(max: true)
    var found: [HNSWScored] = []
    var second: [HNSWScored] = []
    var misses: [UInt32] = []

    /// Starts a pass over a graph of `slots` slots: nothing visited, the heaps empty.
    mutating func begin(slots: Int) {
        if marks.count < slots { marks.append(contentsOf: repeatElement(0, count: slots - marks.count)) }
        generation &+= 1
        if generation == 0 {
            for index in marks.indices { marks[index] = 0 }
            generation = 1
        }
        candidates.clear()
        results.clear()
    }

    /// Marks `slot` visited; false if it was already.
    @inline(__always)
    mutating func visit(_ slot: UInt32) -> Bool {
        let index = Int(slot)
        if index >= marks.count { marks.append(contentsOf: repeatElement(0, count: index + 1 - marks.count)) }
        if marks[index] == generation { return false }
        marks[index] = generation
        return true
    }
}
