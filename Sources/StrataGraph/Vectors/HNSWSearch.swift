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
