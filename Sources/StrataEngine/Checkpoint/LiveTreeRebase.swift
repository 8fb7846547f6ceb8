/// Switches the live trees to the pages a checkpoint wrote for its frozen dirty set.
///
/// Every node of the frozen set that a live tree still shares becomes a reference to its
/// page; a node made after the hand-off stays dirty, and a branch among them that points at a
/// written node is copied with that child replaced (never changed in place: readers may hold
/// it). Nodes written but no longer reachable from the live trees (the writer copied them, or
/// their tree was cleared or dropped, after the hand-off) are dead pages from the start:
/// ``deadPages(in:)`` lists them so the next checkpoint subtracts them from the live bytes.
///
/// With no commit since the hand-off every dirty node is written, and each root simply
/// becomes its page's address.
struct LiveTreeRebase {
    let written: [ObjectIdentifier: PageWrites.Written]
    /// Written nodes a live tree still references directly.
    private(set) var reached: Set<ObjectIdentifier> = []

    init(written: [ObjectIdentifier: PageWrites.Written]) {
        self.written = written
    }

    /// `ref` with every written node under it replaced by its page.
    mutating func rebase(_ ref: ChildRef) -> ChildRef {
        guard let node = ref.node else { return ref }
        let id = ObjectIdentifier(node)
        if let page = written[id] {
            reached.insert(id)
            return ChildRef(address: page.address)
        }
        guard node.kind == .branch else { return ref }
        let branch = unsafeDowncast(node, to: BranchNode.self)
        var copy: BranchNode?
        for index in branch.children.indices {
            let child = branch.children[index]
            let rebased = rebase(child)
            guard rebased.node !== child.node else { continue }
            if copy == nil { copy = branch.copy() }
            copy!.children[index] = rebased
        }
        return copy.map { ChildRef(node: $0) } ?? ref
    }

    /// The pages written for frozen nodes that no live tree reaches (through a reached
    /// ancestor or directly), with their blobs.
    func deadPages(in frozen: [UInt32: TreeState]) -> [PageAddress] {
        var dead: [PageAddress] = []
        for tree in frozen.values { if let root = tree.root { collectDead(root, &dead) } }
        return dead
    }

    private func collectDead(_ ref: ChildRef, _ dead: inout [PageAddress]) {
        guard let node = ref.node else { return }
        let id = ObjectIdentifier(node)
        guard let page = written[id], !reached.contains(id) else { return }
        dead.append(page.address)
        dead.append(contentsOf: page.blobs)
        guard node.kind == .branch else { return }
        for child in unsafeDowncast(node, to: BranchNode.self).children { collectDead(child, &dead) }
    }
}
