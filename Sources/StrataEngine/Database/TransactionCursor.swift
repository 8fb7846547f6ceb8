/// A lazy cursor over one tree inside a transaction: the committed entries (a ``TreeCursor``)
/// merged with the transaction's pending writes, which win over the committed entry of the same
/// key; tombstones hide it.
///
/// Each step finds the next pending key after the last one returned (O(log n) in the pending
/// writes) and moves the committed cursor at most one entry: the cost is proportional to what
/// is read. The cursor sees writes the transaction makes while it walks, for keys it has not
/// passed yet; a clear of the tree hides the committed entries it has not returned.
public struct TransactionCursor: EntryCursor {
    private let view: TransactionTree
    private var committed: TreeCursor?
    /// The committed entry read ahead of the merge (its leaf and index), not yet returned.
    private var peeked: (leaf: LeafNode, index: Int)?
    private var committedDone = false
    /// The tree's clear count when the committed cursor was valid.
    private var clears: Int
    private let lower: KeyBound
    private let upper: KeyBound
    private let reverse: Bool
    /// Where the next pending key must lie: the range's near end, then just past the last key
    /// returned.
    private var position: KeyBound

    init(view: TransactionTree, committed: TreeCursor?, clears: Int, lower: KeyBound, upper: KeyBound, reverse: Bool) {
        self.view = view
        self.committed = committed
        self.clears = clears
        self.lower = lower
        self.upper = upper
        self.reverse = reverse
        self.position = reverse ? upper : lower
    }

    /// What one step of the merge found.
    private enum Step {
        case committed(LeafNode, Int)
        case pending(key: [UInt8], value: [UInt8])
    }

    /// The next entry, or nil when the range is exhausted.
    public mutating func next() throws -> Entry? {
        switch try step() {
        case .committed(let leaf, let index): return try committed!.entry(leaf, index)
        case .pending(let key, let value): return Entry(key: key, value: value)
        case nil: return nil
        }
    }

    /// Calls `body` with the key and value bytes of each remaining entry until the range ends
    /// or `body` returns false. Committed values are lent in place; pending ones from the
    /// transaction's copy. Valid only during the call.
    public mutating func forEachBorrowed(
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        while let found = try step() {
            let more: Bool
            switch found {
            case .committed(let leaf, let index): more = try committed!.lend(leaf, index, body)
            case .pending(let key, let value):
                more = try key.withUnsafeBytes { k in try value.withUnsafeBytes { try body(k, $0) } }
            }
            if !more { return }
        }
    }

    /// Repositions the cursor at the first key `>= key` (in reverse: `<= key`) inside its range.
    public mutating func seek(to key: [UInt8]) throws {
        try Tree.validate(bound: .included(key))
        position = (reverse ? upper : lower).narrowed(toStartAt: key, reverse: reverse)
        try committed?.seek(to: key)
        peeked = nil
        committedDone = false
    }

    /// Walks the rest of the range and returns how many entries it holds, reading no
    /// committed value: O(entries returned + tombstones passed).
    public mutating func countRemaining() throws -> Int {
        var count = 0
        while try step() != nil { count += 1 }
        return count
    }

    /// Whether `key` lies before the far end of the range.
    private func insideFarEnd(_ key: [UInt8]) -> Bool {
        reverse ? lower.admitsAsLower(key) : upper.admitsAsUpper(key)
    }

    /// Moves to the next entry of the merge.
    private mutating func step() throws -> Step? {
        let pending = try view.transaction.pendingWrites(in: view.tree)
        if let pending, pending.clears != clears {
            committed = nil
            peeked = nil
            clears = pending.clears
        }
        while true {
            if peeked == nil, !committedDone, committed != nil {
                if let next = try committed!.step() { peeked = (next.0, next.1) } else { committedDone = true }
            }
            var candidate = pending?.first(admittedBy: position, reverse: reverse)
            if let key = candidate?.key, !insideFarEnd(key) { candidate = nil }
            if let (leaf, index) = peeked {
                let order = candidate.map { c in
                    leaf.withKey(at: index) { k in c.key.withUnsafeBytes { compareBytes(k, $0) } }
                }
                if order == nil || (reverse ? order! > 0 : order! < 0) {
                    // The committed entry comes first and no pending write touches it.
                    position = .excluded(leaf.key(at: index))
                    peeked = nil
                    return .committed(leaf, index)
                }
                if order == 0 { peeked = nil }  // the pending write replaces it
            }
            guard let (key, write) = candidate else { return nil }
            position = .excluded(key)
            if case .put(let value) = write { return .pending(key: key, value: value) }
        }
    }
}
