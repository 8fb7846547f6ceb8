/// What a transaction has written to one key and not yet committed.
enum PendingWrite {
    /// The key is set to this value.
    case put([UInt8])
    /// The key is removed (a tombstone: it hides the committed entry).
    case removed
}

/// One tree's pending writes inside a transaction, in key order: the overlay that a
/// transaction's reads merge over the tree's committed entries.
///
/// An in-memory B-tree (keys and writes in every node, at most ``maxKeys`` per node): setting
/// a key and finding the first key after any bound, in either direction, are O(log n), so a
/// transaction that interleaves many writes with small range reads stays linear overall.
/// Removals are tombstones, never deletions from the B-tree; a clear empties it and hides
/// the committed entries. A reference type: cursors look it up afresh on each step.
final class PendingWrites {
    /// Whether the committed entries are hidden: the tree was cleared, or created, in this
    /// transaction.
    private(set) var hidesCommitted: Bool
    /// How many clears this transaction made of the tree: a cursor compares it with the count
    /// it started with to notice a clear made while it walks.
    private(set) var clears = 0
    /// Bumped by every change; ``TransactionTree/count`` caches against it.
    private(set) var version = 0
    /// Distinct keys written (puts and tombstones).
    private(set) var count = 0
    /// The change in the tree's key count that these writes make, as of `version`.
    var cachedDelta: (version: Int, delta: Int)?
    private var root = Node()

    /// Nodes split when they reach this many keys (odd: a split leaves two halves of 15).
    static let maxKeys = 31

    final class Node {
        var keys: [[UInt8]] = []
        var writes: [PendingWrite] = []
        /// Empty in a leaf; otherwise one more than `keys`.
        var children: [Node] = []

        /// The index of the first key `>= key`, and whether it equals `key`.
        func search(_ key: UnsafeRawBufferPointer) -> (index: Int, found: Bool) {
            var low = 0
            var high = keys.count
            while low < high {
                let middle = (low + high) / 2
                let order = keys[middle].withUnsafeBytes { compareBytes($0, key) }
                if order == 0 { return (middle, true) }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return (low, false)
        }
    }

    init(hidesCommitted: Bool) {
        self.hidesCommitted = hidesCommitted
    }

    /// Records `write` for `key`, replacing an earlier write of the same key.
    func set(_ write: PendingWrite, forKey key: [UInt8]) {
        version += 1
        if root.keys.count == PendingWrites.maxKeys {
            let full = root
            root = Node()
            root.children = [full]
            split(child: 0, of: root)
        }
        var node = root
        while true {
            let (index, found) = key.withUnsafeBytes { node.search($0) }
            if found {
                node.writes[index] = write
                return
            }
            if node.children.isEmpty {
                node.keys.insert(key, at: index)
                node.writes.insert(write, at: index)
                count += 1
                return
            }
            var next = index
            if node.children[next].keys.count == PendingWrites.maxKeys {
                split(child: next, of: node)
                let order = compareKeys(key, node.keys[next])
                if order == 0 {
                    node.writes[next] = write
                    return
                }
                if order > 0 { next += 1 }
            }
            node = node.children[next]
        }
    }

    /// Splits the full child at `index` of `parent` around its middle key, which moves up.
    private func split(child index: Int, of parent: Node) {
        let child = parent.children[index]
        let middle = PendingWrites.maxKeys / 2
        let right = Node()
        right.keys = Array(child.keys[(middle + 1)...])
        right.writes = Array(child.writes[(middle + 1)...])
        if !child.children.isEmpty {
            right.children = Array(child.children[(middle + 1)...])
            child.children.removeSubrange((middle + 1)...)
        }
        parent.keys.insert(child.keys[middle], at: index)
        parent.writes.insert(child.writes[middle], at: index)
        parent.children.insert(right, at: index + 1)
        child.keys.removeSubrange(middle...)
        child.writes.removeSubrange(middle...)
    }

    /// Forgets every pending write and hides the committed entries.
    func clear() {
        root = Node()
        count = 0
        hidesCommitted = true
        clears += 1
        version += 1
    }

    /// The pending write of `key`, or nil if the transaction has not written it.
    func write(forKey key: UnsafeRawBufferPointer) -> PendingWrite? {
        var node = root
        while true {
            let (index, found) = node.search(key)
            if found { return node.writes[index] }
            if node.children.isEmpty { return nil }
            node = node.children[index]
        }
    }

    /// The first written key that `bound` admits in a walk's direction (ascending: the
    /// smallest key after a lower bound; in reverse: the largest key before an upper bound).
    func first(admittedBy bound: KeyBound, reverse: Bool) -> (key: [UInt8], write: PendingWrite)? {
        var best: (key: [UInt8], write: PendingWrite)?
        var node = root
        while true {
            // The index of the first admitted key (ascending) or one past the last (reverse).
            let edge: Int
            switch bound {
            case .unbounded:
                edge = reverse ? node.keys.count : 0
            case .included(let key):
                let (index, found) = key.withUnsafeBytes { node.search($0) }
                edge = found && reverse ? index + 1 : index
            case .excluded(let key):
                let (index, found) = key.withUnsafeBytes { node.search($0) }
                edge = found && !reverse ? index + 1 : index
            }
            let candidate = reverse ? edge - 1 : edge
            if candidate >= 0 && candidate < node.keys.count {
                best = (node.keys[candidate], node.writes[candidate])
            }
            if node.children.isEmpty { return best }
            node = node.children[edge]
        }
    }

    /// Calls `body` with every pending write, in key order.
    func forEach(_ body: ([UInt8], PendingWrite) throws -> Void) rethrows {
        try visit(root, body)
    }

    private func visit(_ node: Node, _ body: ([UInt8], PendingWrite) throws -> Void) rethrows {
        for index in node.keys.indices {
            if !node.children.isEmpty { try visit(node.children[index], body) }
            try body(node.keys[index], node.writes[index])
        }
        if let last = node.children.last { try visit(last, body) }
    }
}
