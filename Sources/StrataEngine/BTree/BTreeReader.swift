/// Read-only descent of one tree from a root a reader holds.
struct BTreeReader {
    let store: PageStore

    @inline(__always)
    func load(_ ref: ChildRef) throws -> PageNode {
        if let node = ref.node { return node }
        return try store.node(ref.address)
    }

    /// The leaf that holds or would hold `key`, with the entry's index if present.
    func find(_ key: UnsafeRawBufferPointer, in root: ChildRef?) throws -> (leaf: LeafNode, index: Int)? {
        guard let root else { return nil }
        var node = try load(root)
        while node.kind == .branch {
            let branch = unsafeDowncast(node, to: BranchNode.self)
            node = try load(branch.children[branch.childIndex(for: key)])
        }
        let leaf = unsafeDowncast(node, to: LeafNode.self)
        let (index, found) = leaf.search(key)
        return found ? (leaf, index) : nil
    }

    /// Lends the value of `key` (nil when absent) to `body` without copying an inline value.
    func withValue<R>(
        _ key: UnsafeRawBufferPointer, in root: ChildRef?, _ body: (UnsafeRawBufferPointer?) throws -> R
    ) throws -> R {
        guard let (leaf, index) = try find(key, in: root) else { return try body(nil) }
        if leaf.slot(at: index).kind == .external, let address = leaf.externalAddress(at: index) {
            return try store.blob(address).withUnsafeBytes { try body($0) }
        }
        return try leaf.withStoredValue(at: index) { try body($0) }
    }

    func get(_ key: UnsafeRawBufferPointer, in root: ChildRef?) throws -> [UInt8]? {
        guard let (leaf, index) = try find(key, in: root) else { return nil }
        return try StoredValue.read(leaf, at: index).resolve(store)
    }
}
