import StrataEngine

/// The flat storage of one graph's search cache: per cached node a *row*, its prepared vector in
/// one contiguous `Float` array (`dimension` per row) and its layer-0 neighbour list in one
/// contiguous `UInt32` array (`stride` per row, the length beside it), so that a search reads
/// both in place, with no decoding, no allocation and no reference counting per visit. The rare
/// upper-layer lists, the id and the tombstone mark sit in ``Info``. Rows freed by eviction are
/// reused; the arrays only grow up to the cache budget's worth of rows.
struct HNSWCacheRows {
    /// What a row holds beside its vector and layer-0 list.
    struct Info {
        var id: NodeID?
        var level: Int
        var tombstoneEpoch: UInt64?
        /// The lists of levels 1 ... level.
        var upper: [[UInt32]]
        /// The bytes charged for the row.
        var cost: Int
    }

    /// Floats per vector (fixed by the first node stored).
    private(set) var dimension = 0
    /// Slots reserved per layer-0 list (grows if a longer list comes).
    private(set) var stride = 0
    private(set) var vectors: [Float] = []
    private(set) var lists: [UInt32] = []
    private(set) var counts: [UInt16] = []
    /// Per row: whether the node is live (not a tombstone).
    private(set) var live: [Bool] = []
    /// Per row: the commit it was read at.
    private(set) var readAt: [UInt64] = []
    private(set) var info: [Info] = []
    private var free: [Int32] = []

    /// The bytes a row holding `node` is charged.
    func cost(of node: HNSWNodeState) -> Int {
        96 + node.point.vector.count * 4 + max(stride, 32, node.neighbours.first?.count ?? 0) * 4
            + node.neighbours.dropFirst().reduce(0) { $0 + 32 + $1.count * 4 }
    }

    /// Whether `node` fits the rows' shape (its vector's length, lists of at most 512).
    func fits(_ node: HNSWNodeState) -> Bool {
        (dimension == 0 || node.point.vector.count == dimension) && (node.neighbours.first?.count ?? 0) <= 512
    }

    /// Stores `node` in a free or new row, read at `readAt`, charged `cost` bytes. Returns the row.
    mutating func add(_ node: HNSWNodeState, readAt sequence: UInt64, cost: Int) -> Int32 {
        if dimension == 0 { dimension = node.point.vector.count }
        let list = node.neighbours.first ?? []
        if list.count > stride { widen(to: max(list.count, 32)) }
        let row: Int
        if let reused = free.popLast() {
            row = Int(reused)
            vectors.withUnsafeMutableBufferPointer { target in
                for (offset, value) in node.point.vector.enumerated() { target[row * dimension + offset] = value }
            }
            live[row] = node.isLive
            readAt[row] = sequence
            info[row] = Info(id: node.point.id, level: node.point.level, tombstoneEpoch: node.tombstoneEpoch, upper: Array(node.neighbours.dropFirst()), cost: cost)
        } else {
            row = counts.count
            vectors.append(contentsOf: node.point.vector)
            lists.append(contentsOf: repeatElement(0, count: stride))
            counts.append(0)
            live.append(node.isLive)
            readAt.append(sequence)
            info.append(Info(id: node.point.id, level: node.point.level, tombstoneEpoch: node.tombstoneEpoch, upper: Array(node.neighbours.dropFirst()), cost: cost))
        }
        lists.withUnsafeMutableBufferPointer { target in
            for (offset, slot) in list.enumerated() { target[row * stride + offset] = slot }
        }
        counts[row] = UInt16(list.count)
        return Int32(row)
    }

    /// Frees `row` for reuse. Returns the bytes it was charged.
    mutating func remove(_ row: Int32) -> Int {
        let cost = info[Int(row)].cost
        info[Int(row)] = Info(id: nil, level: 0, tombstoneEpoch: nil, upper: [], cost: 0)
        free.append(row)
        return cost
    }

    /// The node in `row`, as the writers read it (a copy).
    func state(_ row: Int32) -> HNSWNodeState {
        let row = Int(row)
        let entry = info[row]
        let vector = Array(vectors[row * dimension..<(row + 1) * dimension])
        let list = Array(lists[row * stride..<row * stride + Int(counts[row])])
        return HNSWNodeState(
            point: HNSWPoint(id: entry.id, level: entry.level, vector: vector), tombstoneEpoch: entry.tombstoneEpoch,
            neighbours: [list] + entry.upper)
    }

    /// Lays the layer-0 lists out again with `newStride` slots per row.
    private mutating func widen(to newStride: Int) {
        let rows = counts.count
        var wider = [UInt32](repeating: 0, count: rows * newStride)
        for row in 0..<rows {
            for offset in 0..<Int(counts[row]) { wider[row * newStride + offset] = lists[row * stride + offset] }
        }
        lists = wider
        stride = newStride
    }
}
