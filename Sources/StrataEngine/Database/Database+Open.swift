import Logging

extension Database {
    /// Opens the database in directory `path`, creating it (and the directory) if absent.
    ///
    /// Open reads the newest valid superblock slot and its catalog, cuts off pages of an
    /// unfinished checkpoint, and replays the WAL written since: after a clean close that is
    /// milliseconds whatever the size; after a crash it is bounded by the WAL budget.
    ///
    /// - Throws: ``StrataError`` with code `.locked` if the directory is open elsewhere,
    ///   `.notADatabase` for a file or a non-empty directory that is not a Strata database,
    ///   `.formatVersion` for a newer format, `.corruption` naming the damaged file and offset.
    public static func open(at path: String, configuration: Configuration = Configuration()) throws -> Database {
        try configuration.validate()
        guard !path.isEmpty else { throw StrataError.invalidArgument("the database path is empty") }
        let fs = configuration.fileSystem
        switch try fs.kind(of: path) {
        case .missing: try fs.createDirectory(path)
        case .directory: break
        case .regularFile, .other:
            throw StrataError(.notADatabase, "\(path) is not a directory; a Strata database is a directory", path: path)
        }
        let lock = try fs.lockDirectory(path)
        do {
            let database = try openLocked(path: path, configuration: configuration, lock: lock)
            database.startFlusher()
            return database
        } catch {
            lock.unlock()
            throw error
        }
    }

    private static func openLocked(path: String, configuration: Configuration, lock: any DirectoryLock) throws -> Database {
        let fs = configuration.fileSystem
        let started = ContinuousClock.now
        let names = try fs.contentsOfDirectory(path)
        if !names.contains(DatabaseFiles.superblock) {
            let foreign = names.filter {
                $0 != DatabaseFiles.lock && $0 != DatabaseFiles.superblockTemporary
                    && DatabaseFiles.walID(fromName: $0) == nil && DatabaseFiles.segmentID(fromName: $0) == nil
            }
            guard foreign.isEmpty, !names.contains(where: { DatabaseFiles.segmentID(fromName: $0) != nil }) else {
                throw StrataError(
                    .notADatabase,
                    "\(path) is not a Strata database (no SUPERBLOCK, and it holds other files: \(foreign.prefix(3).joined(separator: ", ")))",
                    path: path)
            }
            try createSuperblock(in: path, fileSystem: fs)
        }
        let superblockFile = try fs.openFile(path + "/" + DatabaseFiles.superblock, create: false)
        let superblock = try readSuperblock(superblockFile)

        let segments = SegmentStore(
            directory: path, fileSystem: fs, segmentSize: configuration.segmentSize,
            activeID: superblock.activeSegment, activeEnd: superblock.activeEnd, nextID: superblock.nextSegment)
        let store = PageStore(
            segments: segments, cache: PageCache(budget: configuration.cacheBytes),
            largeValueThreshold: configuration.largeValueThreshold, compress: configuration.compression)
        var catalog = Catalog.empty
        if let address = superblock.catalog {
            let (header, payload) = try store.unframe(address)
            guard header.kind == .catalog, let decoded = try? Catalog.decode(payload) else {
                throw store.corruption("catalog page does not decode", address)
            }
            catalog = decoded
        }
        try segments.truncateActive(to: superblock.activeEnd)

        var segmentTable: [UInt32: SegmentInfo] = [:]
        for info in catalog.segments { segmentTable[info.id] = info }
        segmentTable[superblock.activeSegment, default: SegmentInfo(id: superblock.activeSegment, length: 0, liveBytes: 0)]
            .length = superblock.activeEnd
        for name in names {
            guard let id = DatabaseFiles.segmentID(fromName: name), id != superblock.activeSegment else { continue }
            let live = segmentTable[id]?.liveBytes ?? 0
            if live == 0 {
                // Written by a checkpoint that never became durable, or emptied by GC.
                try fs.removeFile(path + "/" + name)
                segmentTable[id] = nil
            }
        }
        // The catalog also lists segments its checkpoint emptied; their files may already be
        // gone, and they must not be picked for GC (which would read the missing file).
        segmentTable = segmentTable.filter { $0.key == superblock.activeSegment || $0.value.liveBytes > 0 }
        for (id, info) in segmentTable where id != superblock.activeSegment && info.liveBytes > 0 {
            guard names.contains(DatabaseFiles.segment(id)) else {
                throw StrataError(.corruption, "segment file is missing", path: segments.path(of: id), offset: 0)
            }
        }

        var state = PublishedState()
        for record in catalog.trees {
            state.trees[record.id] = TreeState(
                id: record.id, name: record.name, root: record.root.map { ChildRef(address: $0) }, count: record.count)
            state.treeIDs[record.name] = record.id
        }
        state.sequence = superblock.sequence
        state.epoch = superblock.epoch
        var writerState = WriterState(
            nextTreeID: catalog.nextTreeID, segments: segmentTable, superblock: superblock, durableTrees: catalog.trees)

        let walIDs = names.compactMap(DatabaseFiles.walID(fromName:)).sorted()
        let replayIDs = walIDs.filter { $0 >= superblock.walStart }
        if let first = replayIDs.first, first != superblock.walStart {
            throw StrataError(
                .corruption, "WAL file \(superblock.walStart) is missing",
                path: path + "/" + DatabaseFiles.wal(superblock.walStart), offset: 0)
        }
        var editor = BTreeEditor(store: store, pageSize: configuration.pageSize)
        let outcome = try LogReplay(directory: path, fileSystem: fs).run(fileIDs: replayIDs, after: superblock.sequence) {
            _, operations in
            _ = try Database.apply(operations, to: &state, editor: &editor, nextTreeID: &writerState.nextTreeID, collectChanges: false)
        }
        state.sequence = outcome.lastSequence
        writerState.freed = editor.freed
        writerState.dirtyBytes = editor.dirtiedBytes
        writerState.changedSinceCheckpoint = outcome.framesApplied > 0
        // Older files are not replayed: they are the change feed's history, kept up to its bound.
        let retention = WALRetention(directory: path, fileSystem: fs, retentionBytes: configuration.changeRetentionBytes)
        writerState.walFileBytes = try retention.sizes(of: walIDs.filter { $0 != replayIDs.last })
        for id in retention.prune(sizes: writerState.walFileBytes, walStart: superblock.walStart).deleted {
            writerState.walFileBytes[id] = nil
        }
        // Keep appending to the newest WAL file (its torn tail, if any, is already cut), so
        // that opening and closing without writes leaves no new files behind.
        let wal: WriteAheadLog
        if let last = replayIDs.last {
            let length = try fs.openFile(path + "/" + DatabaseFiles.wal(last), create: false).length()
            wal = try WriteAheadLog(
                directory: path, fileSystem: fs, continuing: last, length: length, sequence: outcome.lastSequence)
        } else {
            wal = try WriteAheadLog(
                directory: path, fileSystem: fs, newFileID: superblock.walStart, sequence: outcome.lastSequence)
        }
        let database = Database(
            path: path, configuration: configuration, store: store, wal: wal, published: state, writer: writerState,
            superblockFile: superblockFile, lock: lock)
        configuration.logger.info(
            "opened",
            metadata: [
                "path": "\(path)", "epoch": "\(superblock.epoch)", "sequence": "\(outcome.lastSequence)",
                "replayedCommits": "\(outcome.framesApplied)", "tornBytes": "\(outcome.tornBytes)",
                "duration": "\(ContinuousClock.now - started)",
            ])
        return database
    }

    /// Writes the first superblock atomically: to a temporary file, fsynced, then renamed.
    private static func createSuperblock(in path: String, fileSystem fs: any FileSystem) throws {
        let initial = Superblock(
            formatVersion: Superblock.currentFormatVersion, epoch: 0, sequence: 0, walStart: 1,
            activeSegment: 1, nextSegment: 2, activeEnd: 0, catalog: nil)
        let temporary = path + "/" + DatabaseFiles.superblockTemporary
        let file = try fs.openFile(temporary, create: true)
        try file.setLength(0)
        try file.write(initial.encode(), at: 0)
        try file.setLength(Int64(2 * Superblock.slotSize))
        try file.sync()
        try file.close()
        try fs.rename(temporary, to: path + "/" + DatabaseFiles.superblock)
        try fs.syncDirectory(path)
    }

    /// The valid slot with the higher epoch.
    static func readSuperblock(_ file: any StorageFile) throws -> Superblock {
        var best: Superblock?
        var newer: UInt32?
        for slot in 0..<2 {
            var bytes = [UInt8](repeating: 0, count: Superblock.encodedSize)
            let got = try bytes.withUnsafeMutableBytes { try file.read(at: Int64(slot * Superblock.slotSize), into: $0) }
            guard got == Superblock.encodedSize else { continue }
            switch Superblock.decode(bytes) {
            case .valid(let candidate):
                if best == nil || candidate.epoch > best!.epoch { best = candidate }
            case .newerVersion(let version):
                newer = version
            case .invalid:
                continue
            }
        }
        if let newer, best == nil || newer > best!.formatVersion {
            throw StrataError(
                .formatVersion,
                "the database was written in format version \(newer); this build reads up to \(Superblock.currentFormatVersion). Upgrade Strata to open it",
                path: file.path)
        }
        guard let best else {
            throw StrataError.corruption("both superblock slots are damaged", path: file.path, offset: 0)
        }
        return best
    }
}
