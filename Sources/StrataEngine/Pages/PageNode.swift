/// The kinds of page stored in segments.
enum PageKind: UInt8, Sendable {
    case leaf = 1
    case branch = 2
    case blob = 3
    case catalog = 4
}

/// An in-memory B+tree node: the common base of ``LeafNode`` and ``BranchNode``, and of
/// ``BlobNode`` for cached out-of-line values.
///
/// Nodes are copy-on-write: the writer mutates a node in place only while it holds the one
/// reference to it (`isKnownUniquelyReferenced`); a snapshot, cursor, reader or the page cache
/// holding another reference forces a copy first, so whatever they see never changes.
// @unchecked because mutation happens only under the writer lock on uniquely referenced nodes;
// shared nodes are immutable.
class PageNode: @unchecked Sendable {
    final let kind: PageKind

    init(kind: PageKind) { self.kind = kind }

    /// Bytes this node takes in memory, counted against the cache or dirty budget.
    var memoryFootprint: Int { 64 }
}

/// A cached out-of-line value.
// @unchecked because, as for every PageNode, it is mutated only by the writer while uniquely
// referenced, and never changes once shared.
final class BlobNode: PageNode, @unchecked Sendable {
    let value: [UInt8]

    init(value: [UInt8]) {
        self.value = value
        super.init(kind: .blob)
    }

    override var memoryFootprint: Int { value.count + 64 }
}
