/// A branch's pointer to a child: either a node in memory (dirty: changed since the last
/// checkpoint, or not yet written) or the address of a clean page in a segment.
// @unchecked because nodes are only mutated while uniquely referenced (see PageNode).
struct ChildRef: @unchecked Sendable {
    var node: PageNode?
    var address: PageAddress

    static let none = PageAddress(segment: 0, offset: 0, length: 0, checksum: 0)

    init(node: PageNode) {
        self.node = node
        self.address = ChildRef.none
    }

    init(address: PageAddress) {
        self.node = nil
        self.address = address
    }

    var isDirty: Bool { node != nil }
}
