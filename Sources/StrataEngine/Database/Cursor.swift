/// A lazy, ordered walk over a range of one tree's committed entries, forward or in reverse:
/// the cursor of a ``Tree`` (its latest commit) and of a ``SnapshotTree``.
///
/// It reads pages only as it reaches them, so walking a huge tree needs memory for one path,
/// not the tree. It sees the tree as it was when the cursor was made, whatever writers do
/// meanwhile, and keeps that version's pages from being reclaimed until it is released.
/// Once the database is closed, `next()` throws ``StrataError/Code/closed``.
///
/// ```swift
/// var cursor = try tree.scan(prefix: Array("user:".utf8))
/// while let entry = try cursor.next() { print(entry.key, entry.value) }
/// ```
public struct TreeCursor: EntryCursor, Sendable {
    private let view: TreeView
    private let lower: KeyBound
    private let upper: KeyBound
    private let reverse: Bool
    /// Where the walk starts: the range's near end, or where ``seek(to:)`` put it.
    private var start: KeyBound
    /// The path from the root to the current leaf: each node and the index in it.
    private var path: [(node: PageNode, index: Int)] = []
    private var started = false
    private var finished = false

    init(view: TreeView, lower: KeyBound, upper: KeyBound, reverse: Bool) {
        self.view = view
        self.lower = lower
        self.upper = upper
        self.reverse = reverse
        self.start = reverse ? upper : lower
    }

    /// The next entry, or nil when the range is exhausted.
    public mutating func next() throws -> Entry? {
        guard let (leaf, index) = try step() else { return nil }
        return try entry(leaf, index)
    }

    /// Repositions the cursor at the first key `>= key` (in reverse: `<= key`) inside its range.
    public mutating func seek(to key: [UInt8]) throws {
        try Tree.validate(bound: .included(key))
        start = (reverse ? upper : lower).narrowed(toStartAt: key, reverse: reverse)
        path = []
        started = false
        finished = false
    }

    /// Walks the rest of the range and returns how many entries it holds, without reading
    /// their values (it visits every leaf of the range: O(entries)).
    public mutating func countRemaining() throws -> Int {
        var count = 0
        while try step() != nil { count += 1 }
        return count
    }

    /// Calls `body` with the key and value bytes of each remaining entry, lent in place without
    /// copying (valid only during the call), until the range ends or `body` returns false.
    ///
    /// ```swift
    /// try cursor.forEachBorrowed { key, value in total += value.count; return true }
    /// ```
    public mutating func forEachBorrowed(
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        while let (leaf, index) = try step() {
            if try !lend(leaf, index, body) { return }
        }
    }

    /// The entry at `index` of `leaf` (a position ``step()`` returned), copied out.
    func entry(_ leaf: LeafNode, _ index: Int) throws -> Entry {
        Entry(key: leaf.key(at: index), value: try StoredValue.read(leaf, at: index).resolve(view.store))
    }

    /// Lends the key and value at `index` of `leaf` to `body` in place.
    func lend(
        _ leaf: LeafNode, _ index: Int, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws -> Bool {
        try leaf.withKey(at: index) { key in
            if leaf.slot(at: index).kind == .external, let address = leaf.externalAddress(at: index) {
                return try view.store.blob(address).withUnsafeBytes { try body(key, $0) }
            }
            return try leaf.withStoredValue(at: index) { try body(key, $0) }
        }
    }

    /// Moves to the next entry inside the range and returns where it is (the leaf and the
    /// index in it), reading no value.
    mutating func step() throws -> (LeafNode, Int)? {
        try view.store.checkOpen()
        guard !finished else { return nil }
        if !started {
            started = true
            try seekStart()
        } else {
            try advance()
        }
        guard let (leaf, index) = currentLeaf() else {
            finished = true
            return nil
        }
        let inside = leaf.withKey(at: index) { key in reverse ? lower.admitsAsLower(key) : upper.admitsAsUpper(key) }
        guard inside else {
            finished = true
            path = []
            return nil
        }
        return (leaf, index)
    }

    private func currentLeaf() -> (LeafNode, Int)? {
        guard let last = path.last else { return nil }
        return (unsafeDowncast(last.node, to: LeafNode.self), last.index)
    }

    private func load(_ ref: ChildRef) throws -> PageNode {
        try BTreeReader(store: view.store).load(ref)
    }

    /// Descends from the root to the first entry of the range.
    private mutating func seekStart() throws {
        guard let root = view.state.root else { return }
        let bound = start
        // One allocation for the whole descent (appending one by one grows it 1, 2, 4: three).
        path.reserveCapacity(8)
        var node = try load(root)
        while node.kind == .branch {
            let branch = unsafeDowncast(node, to: BranchNode.self)
            let index: Int
            switch bound {
            case .included(let key), .excluded(let key): index = key.withUnsafeBytes { branch.childIndex(for: $0) }
            case .unbounded: index = reverse ? branch.children.count - 1 : 0
            }
            path.append((branch, index))
            node = try load(branch.children[index])
        }
        let leaf = unsafeDowncast(node, to: LeafNode.self)
        var index: Int
        switch bound {
        case .unbounded:
            index = reverse ? leaf.count - 1 : 0
        case .included(let key), .excluded(let key):
            let (position, found) = key.withUnsafeBytes { leaf.search($0) }
            let excluded = if case .excluded = bound { true } else { false }
            if reverse {
                index = found && !excluded ? position : position - 1
            } else {
                index = found && excluded ? position + 1 : position
            }
        }
        path.append((leaf, index))
        try settle()
    }

    /// Moves one entry on.
    private mutating func advance() throws {
        guard !path.isEmpty else { return }
        path[path.count - 1].index += reverse ? -1 : 1
        try settle()
    }

    /// If the current leaf position is past its end, climbs to the next subtree and descends
    /// to its first (or, in reverse, last) entry.
    private mutating func settle() throws {
        while let last = path.last {
            let count = last.node.kind == .leaf
                ? unsafeDowncast(last.node, to: LeafNode.self).count
                : unsafeDowncast(last.node, to: BranchNode.self).children.count
            if last.index >= 0 && last.index < count {
                if last.node.kind == .leaf { return }
                // Descend into the child at this index.
                let branch = unsafeDowncast(last.node, to: BranchNode.self)
                let child = try load(branch.children[last.index])
                let childCount = child.kind == .leaf
                    ? unsafeDowncast(child, to: LeafNode.self).count
                    : unsafeDowncast(child, to: BranchNode.self).children.count
                path.append((child, reverse ? childCount - 1 : 0))
                continue
            }
            path.removeLast()
            guard !path.isEmpty else { return }
            path[path.count - 1].index += reverse ? -1 : 1
        }
    }
}
