/// The dirty state a checkpoint writes, taken from the writer at one commit boundary (the
/// hand-off): the trees' roots as readers saw them after commit `sequence`, the stored pages
/// freed up to then, and the segment table and superblock the checkpoint starts from.
///
/// Its nodes are never changed once handed off: the trees hold references to them, so the
/// writer's copy-on-write copies any of them it edits (``BTreeEditor/makeMutable(_:)``), and
/// later commits build a fresh dirty set over this one. Readers see both through the live roots.
struct FrozenDirtySet: Sendable {
    var trees: [UInt32: TreeState]
    var sequence: UInt64
    var nextTreeID: UInt32
    /// Stored pages and blobs the trees stopped referencing up to `sequence`.
    var freed: [PageAddress]
    /// The dirty bytes counted up to `sequence` (released when the checkpoint is installed).
    var dirtyBytes: Int
    /// The segment table and superblock of the last durable checkpoint.
    var segments: [UInt32: SegmentInfo]
    var superblock: Superblock
    /// The WAL file commits after `sequence` go to: the new superblock's WAL start.
    var walStart: UInt64
    /// Sealed segments whose live pages this set relocates (segment GC).
    var victims: Int
    var started: ContinuousClock.Instant
}

/// A checkpoint whose superblock slot is durable, waiting to be installed: the live trees
/// switch to its pages, dead pages are accounted, obsolete files deleted.
struct DurableCheckpoint: Sendable {
    /// Kept until installed, so the identities in `written` stay those of its nodes.
    var frozen: FrozenDirtySet
    var superblock: Superblock
    var records: [TreeRecord]
    /// The segment table the catalog recorded.
    var segments: [UInt32: SegmentInfo]
    var writes: PageWrites
    /// When the superblock became durable.
    var finished: ContinuousClock.Instant
}

/// What a checkpoint appended, and where each node of the frozen set went.
struct PageWrites: Sendable {
    /// A written node's page, with the blob pages written for its leaf's large values.
    struct Written: Sendable {
        var address: PageAddress
        var blobs: [PageAddress] = []
    }

    var pages = 0
    var added: [UInt32: UInt64] = [:]
    var ends: [UInt32: UInt64] = [:]
    /// By the identity of the frozen node written.
    var written: [ObjectIdentifier: Written] = [:]

    mutating func record(_ address: PageAddress) {
        pages += 1
        added[address.segment, default: 0] += UInt64(address.length)
        ends[address.segment] = max(ends[address.segment] ?? 0, UInt64(address.offset) + UInt64(address.length))
    }

    var bytes: UInt64 { added.values.reduce(0, +) }
}
