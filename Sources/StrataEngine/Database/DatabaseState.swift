/// One tree as the engine holds it in memory.
struct TreeState: Sendable {
    var id: UInt32
    var name: String
    var root: ChildRef?
    var count: UInt64
    /// Chosen at creation, persisted with the tree.
    var settings = TreeSettings.default
    /// The id of the ``TreeOwner`` whose handles alone may write the tree; nil for any handle.
    var owner: String? = nil
}

/// What readers see: the current trees, the last applied commit, and the open read views
/// (counted per checkpoint epoch, so segment files stay until nobody can reach them).
struct PublishedState: Sendable {
    var trees: [UInt32: TreeState] = [:]
    var treeIDs: [String: UInt32] = [:]
    var sequence: UInt64 = 0
    var epoch: UInt64 = 0
    var readers = ReaderEpochs()
    var closed = false

    func tree(named name: String) -> TreeState? {
        treeIDs[name].flatMap { trees[$0] }
    }

    /// The oldest epoch a reader still holds, or nil when none is open.
    var oldestReaderEpoch: UInt64? { readers.oldest }
}

/// What only the writer (under the writer lock) touches.
struct WriterState: Sendable {
    var nextTreeID: UInt32
    var freed: [PageAddress] = []
    var dirtyBytes = 0
    /// The dirty bytes of a set handed off to a checkpoint not yet installed.
    var frozenDirtyBytes = 0
    var segments: [UInt32: SegmentInfo]
    /// Zero-live segments waiting for readers from before `epoch` to finish.
    var doomedSegments: [(segment: UInt32, epoch: UInt64)] = []
    var superblock: Superblock
    /// The trees as the last durable checkpoint recorded them.
    var durableTrees: [TreeRecord]
    var lastCheckpoint: CheckpointReport?
    var changedSinceCheckpoint = false
    /// Set by `close()` once files and the lock are released.
    var released = false
    var checkpointStarted: ContinuousClock.Instant = .now
    /// The buffer each transaction encodes its operations into, kept between transactions.
    var operationBuffer = EncodedOperations()
    /// The size of every complete WAL file still on disk (all but the one appended to), for
    /// the change feed's retention rule.
    var walFileBytes: [UInt64: Int64] = [:]
}

/// What one checkpoint did.
public struct CheckpointReport: Sendable, Equatable {
    /// The checkpoint's number.
    public var epoch: UInt64
    /// The last commit it includes.
    public var sequence: UInt64
    /// Pages and blobs written.
    public var pagesWritten: Int
    /// Bytes appended to segments.
    public var bytesWritten: UInt64
    /// Segments rewritten by GC in this checkpoint.
    public var segmentsCollected: Int
    /// Segment files deleted.
    public var segmentsDeleted: Int
    /// How long it took.
    public var duration: Duration

    /// This report and a `later` one in the same run, as one: the later epoch and sequence,
    /// the sums of the rest.
    func followed(by later: CheckpointReport) -> CheckpointReport {
        CheckpointReport(
            epoch: later.epoch, sequence: later.sequence, pagesWritten: pagesWritten + later.pagesWritten,
            bytesWritten: bytesWritten + later.bytesWritten,
            segmentsCollected: segmentsCollected + later.segmentsCollected,
            segmentsDeleted: segmentsDeleted + later.segmentsDeleted, duration: duration + later.duration)
    }
}
