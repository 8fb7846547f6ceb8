/// What open will read and what it will change, decided and checked before any file is changed.
///
/// Open first makes the plan (the superblock slot, the catalog, every segment file the chosen
/// checkpoint needs, the WAL files to replay), then replays the WAL into memory, and only then
/// truncates the active segment and deletes files. A plan that cannot work is a `corruption`
/// error that leaves every file as it was.
struct RecoveryPlan {
    var slots: SuperblockSlots
    var catalog: Catalog
    /// The writer's segment table: segments with live bytes, and the active one.
    var segments: [UInt32: SegmentInfo]
    /// Segment files no durable checkpoint references: sealed by a checkpoint that never became
    /// durable, or emptied before the older checkpoint was written.
    var segmentFilesToDelete: [UInt32]
    /// Segments the chosen checkpoint lists with no live bytes: the older slot may still need
    /// them, so they are deleted only once a newer checkpoint is durable.
    var emptiedSegments: [UInt32]
    /// WAL files to replay, in order: from the chosen checkpoint's WAL start on.
    var replayIDs: [UInt64]
    /// The oldest WAL file either valid slot replays from: files below it are needed by no
    /// recovery (only, within its retention, by the change feed).
    var walKeepFrom: UInt64

    var superblock: Superblock { slots.chosen }

    /// Reads and checks everything open needs from the files `names` of `directory`; writes
    /// nothing.
    static func make(
        directory: String, names: [String], fileSystem fs: any FileSystem, store: PageStore, slots: SuperblockSlots
    ) throws -> RecoveryPlan {
        let superblock = slots.chosen
        let context = FallbackContext(slots: slots, directory: directory)
        var catalog = Catalog.empty
        if let address = superblock.catalog {
            try context.explain {
                try requireSegment(address.segment, length: UInt64(address.offset) + UInt64(address.length), store, fs)
                let (header, payload) = try store.unframe(address)
                guard header.kind == .catalog, let decoded = try? Catalog.decode(payload, formatVersion: slots.chosen.formatVersion) else {
                    throw store.corruption("catalog page does not decode", address)
                }
                catalog = decoded
            }
        }

        var table: [UInt32: SegmentInfo] = [:]
        for info in catalog.segments { table[info.id] = info }
        table[superblock.activeSegment, default: SegmentInfo(id: superblock.activeSegment, length: 0, liveBytes: 0)]
            .length = superblock.activeEnd
        let present = Set(names.compactMap(DatabaseFiles.segmentID(fromName:)))
        var toDelete: [UInt32] = []
        var emptied: [UInt32] = []
        for id in present.sorted() where id != superblock.activeSegment {
            if let info = table[id] {
                if info.liveBytes == 0 { emptied.append(id) }
            } else {
                toDelete.append(id)
            }
        }
        // The catalog also lists segments its checkpoint emptied (their files may be gone
        // already); they must not be picked for GC, which would read them.
        table = table.filter { $0.key == superblock.activeSegment || $0.value.liveBytes > 0 }
        try context.explain {
            for (id, info) in table.sorted(by: { $0.key < $1.key }) {
                let needed = id == superblock.activeSegment ? superblock.activeEnd : info.length
                guard id != superblock.activeSegment || needed > 0 else { continue }
                try requireSegment(id, length: needed, store, fs)
            }
        }

        let walIDs = names.compactMap(DatabaseFiles.walID(fromName:)).sorted()
        let replayIDs = walIDs.filter { $0 >= superblock.walStart }
        try context.explain {
            if let first = replayIDs.first, first != superblock.walStart {
                throw StrataError(
                    .corruption, "WAL file \(superblock.walStart) is missing",
                    path: directory + "/" + DatabaseFiles.wal(superblock.walStart), offset: 0)
            }
            for (previous, id) in zip(replayIDs, replayIDs.dropFirst()) where id != previous + 1 {
                throw StrataError(
                    .corruption, "WAL file \(previous + 1) is missing",
                    path: directory + "/" + DatabaseFiles.wal(previous + 1), offset: 0)
            }
        }
        let keepFrom = min(superblock.walStart, slots.older?.walStart ?? superblock.walStart)
        return RecoveryPlan(
            slots: slots, catalog: catalog, segments: table, segmentFilesToDelete: toDelete, emptiedSegments: emptied,
            replayIDs: replayIDs, walKeepFrom: keepFrom)
    }

    /// Throws `corruption` unless segment `id` is a file of at least `length` bytes.
    private static func requireSegment(_ id: UInt32, length: UInt64, _ store: PageStore, _ fs: any FileSystem) throws {
        let path = store.segments.path(of: id)
        guard try fs.kind(of: path) == .regularFile else {
            throw StrataError(.corruption, "segment file \(DatabaseFiles.segment(id)) is missing", path: path, offset: 0)
        }
        // A handle of its own, closed again: segments are opened for reading when first read,
        // so that open does not hold a descriptor per segment.
        let file = try fs.openFileForReading(path)
        defer { try? file.close() }
        let actual = try file.length()
        guard UInt64(actual) >= length else {
            throw StrataError(
                .corruption,
                "segment file \(DatabaseFiles.segment(id)) is shorter than the checkpoint says (\(actual) < \(length) bytes)",
                path: path, offset: actual)
        }
    }

    /// Explains an error of a plan made from a fallback slot: when the other slot is damaged,
    /// the chosen checkpoint may be older than the newest written, and files it needs may have
    /// been reclaimed after it.
    struct FallbackContext {
        let slots: SuperblockSlots
        let directory: String

        func explain<T>(_ body: () throws -> T) throws -> T {
            do {
                return try body()
            } catch let error as StrataError where error.code == .corruption && slots.otherIsDamaged {
                let damaged = 1 - slots.chosenIndex
                throw StrataError(
                    .corruption,
                    "superblock slot \(damaged) is damaged (bit rot, or a torn checkpoint write), so open fell back to slot \(slots.chosenIndex) (epoch \(slots.chosen.epoch)), which cannot be recovered: \(error.message). A file that checkpoint needs may have been reclaimed after a newer one. Nothing was changed; try `strata salvage`",
                    path: error.path, offset: error.offset)
            }
        }
    }
}
