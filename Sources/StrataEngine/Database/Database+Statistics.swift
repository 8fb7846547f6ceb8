/// A snapshot of what a database holds and how it is doing.
public struct DatabaseStatistics: Sendable, Codable, Equatable {
    /// One tree.
    public struct TreeStatistics: Sendable, Codable, Equatable {
        public var name: String
        public var keys: Int
    }

    /// One segment file.
    public struct SegmentStatistics: Sendable, Codable, Equatable {
        public var id: UInt32
        public var bytes: UInt64
        public var liveBytes: UInt64
        public var liveRatio: Double
    }

    public var trees: [TreeStatistics]
    public var segments: [SegmentStatistics]
    /// Bytes of all segment files as of the last checkpoint.
    public var segmentBytes: UInt64
    /// Bytes of pages the last checkpoint references.
    public var liveBytes: UInt64
    /// Bytes appended to the WAL since the last checkpoint.
    public var walBytes: Int
    /// Approximate bytes of pages changed since the last checkpoint.
    public var dirtyBytes: Int
    public var cacheBytes: Int
    public var cacheBudget: Int
    public var cacheEntries: Int
    public var cacheHits: Int
    public var cacheMisses: Int
    /// The last commit applied.
    public var sequence: UInt64
    /// The last commit known durable.
    public var durableSequence: UInt64
    /// The number of the last checkpoint.
    public var checkpointEpoch: UInt64
    /// Milliseconds the last checkpoint of this session took, if any.
    public var lastCheckpointMilliseconds: Double?
    /// Whether writes are refused after an I/O failure.
    public var writesDisabled: Bool
    /// Obsolete files (old WAL files, segments no checkpoint or reader needs) this session
    /// failed to delete. They take disk space only: the next open deletes them again.
    public var failedFileDeletions: Int
}

extension Database {
    /// Counts, sizes, cache behaviour and durability state.
    public func statistics() throws -> DatabaseStatistics {
        let (trees, sequence) = try published.withLock { s in
            guard !s.closed else { throw closedError() }
            return (s.trees.values.map { DatabaseStatistics.TreeStatistics(name: $0.name, keys: Int($0.count)) }, s.sequence)
        }
        // Not under the writer lock: statistics work inside a write closure and during a checkpoint.
        let (segments, dirty, epoch, last) = writerSummary.withLock { w in
            (w.segments.values.sorted { $0.id < $1.id }, w.dirtyBytes, w.epoch, w.lastCheckpoint)
        }
        let cache = store.cache.statistics
        return DatabaseStatistics(
            trees: trees.sorted { $0.name < $1.name },
            segments: segments.map {
                .init(id: $0.id, bytes: $0.length, liveBytes: $0.liveBytes, liveRatio: $0.liveRatio)
            },
            segmentBytes: segments.reduce(0) { $0 + $1.length },
            liveBytes: segments.reduce(0) { $0 + $1.liveBytes },
            walBytes: wal.bytesSinceRotation, dirtyBytes: dirty, cacheBytes: cache.bytes,
            cacheBudget: configuration.cacheBytes, cacheEntries: cache.entries, cacheHits: cache.hits,
            cacheMisses: cache.misses, sequence: sequence, durableSequence: wal.durableSequence,
            checkpointEpoch: epoch,
            lastCheckpointMilliseconds: last.map { Double($0.duration.components.attoseconds) / 1e15 + Double($0.duration.components.seconds) * 1000 },
            writesDisabled: writeFailure.withLock { $0 != nil },
            failedFileDeletions: failedDeletions.load(ordering: .relaxed))
    }
}

/// The part of the writer's state that ``Database/statistics()`` reports, copied after each
/// checkpoint (and the dirty bytes after each commit).
struct WriterSummary: Sendable {
    var segments: [UInt32: SegmentInfo]
    var dirtyBytes: Int
    var epoch: UInt64
    var lastCheckpoint: CheckpointReport?

    init(_ w: WriterState) {
        segments = w.segments
        dirtyBytes = w.dirtyBytes + w.frozenDirtyBytes
        epoch = w.superblock.epoch
        lastCheckpoint = w.lastCheckpoint
    }
}
