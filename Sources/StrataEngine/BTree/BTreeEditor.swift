/// The writer's edits to trees: copy-on-write insert and remove with splits and merges.
///
/// A node is changed in place only when the tree holds the one reference to it; otherwise
/// (a snapshot, cursor or the page cache holds it too, or it is a clean page) it is copied
/// first, and the path above it is copied as well. Every stored page or blob the edits stop
/// referencing is recorded in ``freed`` so the next checkpoint can account its bytes as dead.
struct BTreeEditor {
    let store: PageStore
    let pageSize: Int
    /// Stored pages and blobs no longer referenced by the current trees.
    var freed: [PageAddress] = []
    /// Approximate bytes of nodes made dirty by these edits.
    var dirtiedBytes = 0
    /// The first read that failed while ``freeAll(_:)`` walked a tree: the tree was still
    /// cleared, but the pages below the unreadable one were not accounted as freed.
    var unaccountedFailure: (any Error)?

    init(store: PageStore, pageSize: Int) {
        self.store = store
        self.pageSize = pageSize
    }

    private struct Split {
        var separator: [UInt8]
        var right: PageNode
    }

    // MARK: Insert

    /// Inserts or replaces; returns whether `key` was present (its old value is dropped).
    /// An empty tree's first leaf takes `largeValueThreshold` (nil: the configuration's).
    @discardableResult
    mutating func insert(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, into root: inout ChildRef?,
        largeValueThreshold: Int? = nil
    ) throws -> Bool {
        guard root != nil else {
            let leaf = LeafNode(largeValueThreshold: largeValueThreshold ?? store.largeValueThreshold)
            leaf.reserve(bytes: pageSize + pageSize / 4)
            leaf.insert(at: 0, key: key, value: value)
            dirtiedBytes += leaf.memoryFootprint
            root = ChildRef(node: leaf)
            return false
        }
        let (replaced, split) = try insert(key: key, value: value, at: &root!)
        if let split {
            let level = split.right.kind == .leaf ? 1 : unsafeDowncast(split.right, to: BranchNode.self).level + 1
            let newRoot = BranchNode(level: level, left: root!, separator: split.separator, right: ChildRef(node: split.right))
            dirtiedBytes += newRoot.memoryFootprint
            root = ChildRef(node: newRoot)
        }
        #if STRATA_INVARIANTS
        Self.checkInvariants(onPathTo: key, under: root)
        #endif
        return replaced
    }

    private mutating func insert(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, at ref: inout ChildRef
    ) throws -> (replaced: Bool, Split?) {
        let node = try makeMutable(&ref)
        if node.kind == .leaf {
            let leaf = unsafeDowncast(node, to: LeafNode.self)
            // Dirty memory is counted as the change in the node's real footprint.
            let footprint = leaf.memoryFootprint
            defer { dirtiedBytes += leaf.memoryFootprint - footprint }
            let (index, found) = leaf.search(key)
            if found {
                if let address = leaf.externalAddress(at: index) { freed.append(address) }
                leaf.replaceValue(at: index, value: value)
            } else {
                leaf.insert(at: index, key: key, value: value)
            }
            guard leaf.encodedSize > pageSize, leaf.count > 1 else { return (found, nil) }
            let at = splitIndex(leaf, inserted: index)
            let right = leaf.split(at: at)
            dirtiedBytes += right.memoryFootprint
            return (found, Split(separator: right.key(at: 0), right: right))
        }
        let branch = unsafeDowncast(node, to: BranchNode.self)
        let index = branch.childIndex(for: key)
        let (replaced, childSplit) = try insert(key: key, value: value, at: &branch.children[index])
        guard let childSplit else { return (replaced, nil) }
        let footprint = branch.memoryFootprint
        childSplit.separator.withUnsafeBytes {
            branch.insertSeparator($0, rightChild: ChildRef(node: childSplit.right), at: index)
        }
        dirtiedBytes += branch.memoryFootprint - footprint
        guard branch.encodedSize > pageSize, branch.separatorCount >= 3 else { return (replaced, nil) }
        let (separator, right) = branch.split()
        dirtiedBytes += right.memoryFootprint
        return (replaced, Split(separator: separator, right: right))
    }

    /// Where to split an overfull leaf: after the new entry when keys arrive in ascending order
    /// (so sequential loads fill pages), else at the middle by bytes.
    private func splitIndex(_ leaf: LeafNode, inserted: Int) -> Int {
        if inserted == leaf.count - 1 { return leaf.count - 1 }
        let half = leaf.encodedSize / 2
        var size = LeafNode.headerSize
        for i in 0..<leaf.count {
            size += leaf.entryEncodedSize(leaf.slot(at: i))
            if size >= half { return max(1, min(i + 1, leaf.count - 1)) }
        }
        return leaf.count / 2
    }

    // MARK: Remove

    /// Removes `key`; returns the removed value, or nil (touching nothing) when absent.
    mutating func remove(key: UnsafeRawBufferPointer, from root: inout ChildRef?) throws -> StoredValue? {
        guard root != nil, try BTreeReader(store: store).find(key, in: root) != nil else { return nil }
        let removed = try remove(key: key, at: &root!)
        // Collapse a root branch left with one child; an empty root leaf means an empty tree.
        while let top = root?.node {
            if top.kind == .branch, unsafeDowncast(top, to: BranchNode.self).children.count == 1 {
                root = unsafeDowncast(top, to: BranchNode.self).children[0]
            } else {
                if top.kind == .leaf, unsafeDowncast(top, to: LeafNode.self).count == 0 { root = nil }
                break
            }
        }
        #if STRATA_INVARIANTS
        Self.checkInvariants(onPathTo: key, under: root)
        #endif
        return removed
    }

    private mutating func remove(key: UnsafeRawBufferPointer, at ref: inout ChildRef) throws -> StoredValue? {
        let node = try makeMutable(&ref)
        if node.kind == .leaf {
            let leaf = unsafeDowncast(node, to: LeafNode.self)
            let (index, found) = leaf.search(key)
            guard found else { return nil }
            let removed = StoredValue.read(leaf, at: index)
            if case .external(let address, _) = removed { freed.append(address) }
            leaf.remove(at: index)
            return removed
        }
        let branch = unsafeDowncast(node, to: BranchNode.self)
        let index = branch.childIndex(for: key)
        let removed = try remove(key: key, at: &branch.children[index])
        try rebalance(branch, child: index)
        return removed
    }

    /// After a removal under `branch.children[index]`: drop the child if empty, or merge it
    /// with a neighbour when both fit in one page.
    private mutating func rebalance(_ branch: BranchNode, child index: Int) throws {
        let child = branch.children[index].node!
        if child.kind == .leaf {
            let leaf = unsafeDowncast(child, to: LeafNode.self)
            if leaf.count == 0 {
                if branch.children.count > 1 { branch.removeChild(at: index) }
                return
            }
            guard leaf.encodedSize < pageSize / 4, branch.children.count > 1 else { return }
        } else {
            let inner = unsafeDowncast(child, to: BranchNode.self)
            guard inner.encodedSize < pageSize / 4, branch.children.count > 1 else { return }
        }
        let left = index > 0 ? index - 1 : index
        let right = left + 1
        // A merge only saves space: when a sibling cannot be read, skip it (the tree stays valid
        // with an underfull node) rather than fail a commit that has already changed the tree.
        guard let leftNode = try? makeMutable(&branch.children[left]),
            let rightNode = try? BTreeReader(store: store).load(branch.children[right])
        else { return }
        if leftNode.kind == .leaf {
            let l = unsafeDowncast(leftNode, to: LeafNode.self)
            let r = unsafeDowncast(rightNode, to: LeafNode.self)
            guard l.encodedSize + r.encodedSize - LeafNode.headerSize <= pageSize else { return }
            l.append(contentsOf: r)
        } else {
            let l = unsafeDowncast(leftNode, to: BranchNode.self)
            let r = unsafeDowncast(rightNode, to: BranchNode.self)
            guard l.encodedSize + r.encodedSize <= pageSize else { return }
            branch.withSeparator(at: left) { l.append(separator: $0, contentsOf: r) }
        }
        if !branch.children[right].isDirty { freed.append(branch.children[right].address) }
        branch.removeChild(at: right)
    }

    // MARK: Clear

    /// Frees every stored page and blob reachable from `root` (the tree is being cleared or dropped).
    ///
    /// It does not throw on a page it cannot read: the tree is being emptied either way, so the
    /// walk skips that page's subtree and records the error in ``unaccountedFailure`` (the
    /// commit then disables writes, since the segments' live bytes are no longer exact).
    mutating func freeAll(_ root: ChildRef?) {
        guard let root else { return }
        if !root.isDirty { freed.append(root.address) }
        let node: PageNode
        do {
            node = try BTreeReader(store: store).load(root)
        } catch {
            if unaccountedFailure == nil { unaccountedFailure = error }
            return
        }
        if node.kind == .branch {
            for child in unsafeDowncast(node, to: BranchNode.self).children { freeAll(child) }
        } else {
            let leaf = unsafeDowncast(node, to: LeafNode.self)
            for i in 0..<leaf.count {
                if let address = leaf.externalAddress(at: i) { freed.append(address) }
            }
        }
    }

    // MARK: Copy on write

    /// Makes `ref` point at a node only this tree holds, copying a shared or stored one.
    mutating func makeMutable(_ ref: inout ChildRef) throws -> PageNode {
        if ref.node != nil {
            if isKnownUniquelyReferenced(&ref.node) { return ref.node! }
            let copy = Self.copy(ref.node!)
            dirtiedBytes += copy.memoryFootprint
            ref.node = copy
            return copy
        }
        let clean = try store.node(ref.address)
        freed.append(ref.address)
        let copy = Self.copy(clean)
        dirtiedBytes += copy.memoryFootprint
        ref = ChildRef(node: copy)
        return copy
    }

    private static func copy(_ node: PageNode) -> PageNode {
        node.kind == .leaf
            ? unsafeDowncast(node, to: LeafNode.self).copy()
            : unsafeDowncast(node, to: BranchNode.self).copy()
    }
}

extension BTreeEditor {
    /// Makes the path from `root` to the leaf that holds or would hold `key` dirty, reading its
    /// clean pages: an edit with no effect on what the tree holds. A commit runs this for each
    /// put and remove before it is logged, so that applying it afterwards reads nothing (and a
    /// failed read fails the commit with nothing logged).
    mutating func preparePath(to key: UnsafeRawBufferPointer, in root: inout ChildRef?) throws {
        guard root != nil else { return }
        try preparePath(to: key, at: &root!)
    }

    private mutating func preparePath(to key: UnsafeRawBufferPointer, at ref: inout ChildRef) throws {
        let node = try makeMutable(&ref)
        guard node.kind == .branch else { return }
        let branch = unsafeDowncast(node, to: BranchNode.self)
        try preparePath(to: key, at: &branch.children[branch.childIndex(for: key)])
    }

    /// Reads every clean page under `root` (through the cache), so that a clear or drop fails
    /// before it is logged when one cannot be read.
    func readAll(_ root: ChildRef?) throws {
        guard let root else { return }
        let node = try BTreeReader(store: store).load(root)
        guard node.kind == .branch else { return }
        for child in unsafeDowncast(node, to: BranchNode.self).children { try readAll(child) }
    }

    /// If the page at `address` is on the path to `key`, makes it and the path above it dirty
    /// (segment GC: the next checkpoint writes them elsewhere). Returns whether it was.
    mutating func relocate(_ address: PageAddress, key: UnsafeRawBufferPointer, in root: inout ChildRef?) throws -> Bool {
        guard root != nil, try reaches(address, key: key, from: root!) else { return false }
        try touch(address, key: key, at: &root!)
        #if STRATA_INVARIANTS
        Self.checkInvariants(onPathTo: key, under: root)
        #endif
        return true
    }

    private func reaches(_ address: PageAddress, key: UnsafeRawBufferPointer, from start: ChildRef) throws -> Bool {
        var ref = start
        while true {
            if !ref.isDirty, ref.address.cacheKey == address.cacheKey { return true }
            let node = try BTreeReader(store: store).load(ref)
            guard node.kind == .branch else { return false }
            let branch = unsafeDowncast(node, to: BranchNode.self)
            ref = branch.children[branch.childIndex(for: key)]
        }
    }

    private mutating func touch(_ address: PageAddress, key: UnsafeRawBufferPointer, at ref: inout ChildRef) throws {
        if !ref.isDirty, ref.address.cacheKey == address.cacheKey {
            _ = try makeMutable(&ref)
            return
        }
        let branch = unsafeDowncast(try makeMutable(&ref), to: BranchNode.self)
        try touch(address, key: key, at: &branch.children[branch.childIndex(for: key)])
    }
}
