import Logging

extension Database {
    /// Opens the database in directory `path`, creating it (and the directory) if absent.
    ///
    /// Open reads the newest valid superblock slot and its catalog, cuts off pages of an
    /// unfinished checkpoint, and replays the WAL written since: after a clean close that is
    /// milliseconds whatever the size; after a crash it is bounded by the WAL budget.
    ///
    /// With ``Configuration/readOnly`` open writes no file (the WAL is replayed in memory), and
    /// with ``Configuration/createIfMissing`` false it creates nothing.
    ///
    /// - Throws: ``StrataError`` with code `.locked` if the directory is open elsewhere (a
    ///   read-only open only when a writer holds it, and not with
    ///   ``Configuration/readOnlyIgnoresWriter``),
    ///   `.notFound` if there is no database and it may not be created,
    ///   `.notADatabase` for a file or a non-empty directory that is not a Strata database,
    ///   `.formatVersion` for a newer format, `.corruption` naming the damaged file and offset.
    public static func open(at path: String, configuration: Configuration = Configuration()) throws -> Database {
        try configuration.validate()
        guard !path.isEmpty else { throw StrataError.invalidArgument("the database path is empty") }
        let fs = configuration.fileSystem
        let mayCreate = configuration.createIfMissing && !configuration.readOnly
        switch try fs.kind(of: path) {
        case .missing:
            guard mayCreate else { throw noDatabase(at: path, configuration) }
            try fs.createDirectory(path)
        case .directory:
            // Refuse a foreign directory before the lock file is created in it: a refused open
            // writes nothing. (Checked again under the lock, in case the directory changes.)
            try refuseForeignDirectory(path, names: try fs.contentsOfDirectory(path))
            if !mayCreate, try fs.kind(of: path + "/" + DatabaseFiles.superblock) != .regularFile {
                throw noDatabase(at: path, configuration)
            }
        case .regularFile, .other:
            throw StrataError(.notADatabase, "\(path) is not a directory; a Strata database is a directory", path: path)
        }
        let (lock, writerHolds) = try configuration.readOnly ? sharedLock(path, configuration) : (fs.lockDirectory(path), false)
        do {
            let database = try writerHolds
                ? openBesideWriter(path: path, configuration: configuration, lock: lock)
                : openLocked(path: path, configuration: configuration, lock: lock)
            if !configuration.readOnly { database.startFlusher() }
            return database
        } catch {
            lock.unlock()
            throw error
        }
    }

    /// The shared lock of a read-only open; with ``Configuration/readOnlyIgnoresWriter``, no
    /// lock at all when a writer holds the exclusive one (`writerHolds` is then true).
    private static func sharedLock(
        _ path: String, _ configuration: Configuration
    ) throws -> (lock: any DirectoryLock, writerHolds: Bool) {
        do {
            return (try configuration.fileSystem.lockDirectoryShared(path), false)
        } catch let error as StrataError where error.code == .locked && configuration.readOnlyIgnoresWriter {
            return (UnheldDirectoryLock(), true)
        }
    }

    /// A read-only open while a writer changes the directory: the directory listing, the
    /// superblock and the files they name are read at slightly different moments, so a
    /// checkpoint or GC in between can make them disagree (a WAL file created after the
    /// listing, a segment deleted after the superblock was read). Such an open is retried a few
    /// times; a disagreement that persists is real damage and is thrown.
    private static func openBesideWriter(path: String, configuration: Configuration, lock: any DirectoryLock) throws -> Database {
        var attempt = 1
        while true {
            do {
                return try openLocked(path: path, configuration: configuration, lock: lock)
            } catch let error as StrataError where attempt < 5 && (error.code == .corruption || error.code == .fileNotFound) {
                configuration.logger.info(
                    "a read-only open beside a writer saw the database change; retrying",
                    metadata: ["path": "\(path)", "attempt": "\(attempt)", "error": "\(error)"])
                attempt += 1
            }
        }
    }

    private static func openLocked(path: String, configuration: Configuration, lock: any DirectoryLock) throws -> Database {
        let fs = configuration.fileSystem
        let started = ContinuousClock.now
        let names = try fs.contentsOfDirectory(path)
        if !names.contains(DatabaseFiles.superblock) {
            try refuseForeignDirectory(path, names: names)
            guard configuration.createIfMissing && !configuration.readOnly else { throw noDatabase(at: path, configuration) }
            try createSuperblock(in: path, fileSystem: fs)
        }
        // A read-only open writes nothing: every step below that writes is skipped for it.
        let readOnly = configuration.readOnly
        let superblockPath = path + "/" + DatabaseFiles.superblock
        let superblockFile = try readOnly ? fs.openFileForReading(superblockPath) : fs.openFile(superblockPath, create: false)
        let slots = try SuperblockSlots.read(superblockFile)
        let superblock = slots.chosen

        let segments = SegmentStore(
            directory: path, fileSystem: fs, segmentSize: configuration.segmentSize,
            activeID: superblock.activeSegment, activeEnd: superblock.activeEnd, nextID: superblock.nextSegment,
            readOnly: readOnly)
        let store = PageStore(
            segments: segments, cache: PageCache(budget: configuration.cacheBytes),
            largeValueThreshold: configuration.largeValueThreshold, compress: configuration.compression,
            pageSize: configuration.pageSize)
        // Everything is read and checked before any file changes: a plan that cannot work
        // throws with every file as it was.
        let plan = try RecoveryPlan.make(directory: path, names: names, fileSystem: fs, store: store, slots: slots)
        let catalog = plan.catalog

        var state = PublishedState()
        for record in catalog.trees {
            state.trees[record.id] = TreeState(
                id: record.id, name: record.name, root: record.root.map { ChildRef(address: $0) }, count: record.count,
                settings: record.settings, owner: record.owner)
            store.register(tree: record.id, settings: record.settings)
            state.treeIDs[record.name] = record.id
        }
        state.sequence = superblock.sequence
        state.epoch = superblock.epoch
        var writerState = WriterState(
            nextTreeID: catalog.nextTreeID, segments: plan.segments, superblock: superblock, durableTrees: catalog.trees)
        // Replay reads only pages of the checkpoint and keeps its changes in memory; it changes
        // a file only to cut a torn tail off the newest WAL file, after every frame before it.
        var editor = BTreeEditor(store: store, pageSize: configuration.pageSize)
        let outcome = try RecoveryPlan.FallbackContext(slots: slots, directory: path).explain {
            try LogReplay(directory: path, fileSystem: fs, readOnly: readOnly).run(fileIDs: plan.replayIDs, after: superblock.sequence) {
                _, operations in
                _ = try Database.apply(operations, to: &state, editor: &editor, nextTreeID: &writerState.nextTreeID, collectChanges: false)
                // A page a replayed clear or drop frees must be read to account it: fail the open.
                if let failure = editor.unaccountedFailure { throw failure }
            }
        }
        state.sequence = outcome.lastSequence
        writerState.freed = editor.freed
        writerState.dirtyBytes = editor.dirtiedBytes
        writerState.changedSinceCheckpoint = outcome.framesApplied > 0

        // The plan holds: now cut the pages of an unfinished checkpoint and delete what no
        // durable checkpoint needs (a read-only open changes nothing). Segments this checkpoint
        // emptied wait for the next one (the older slot may still read them). WAL files below
        // both slots' WAL start are the change feed's history, kept up to its bound.
        var failedDeletions = 0
        if !readOnly {
            try segments.truncateActive(to: superblock.activeEnd)
            for id in plan.segmentFilesToDelete {
                try fs.removeFile(segments.path(of: id))
            }
            let retention = WALRetention(directory: path, fileSystem: fs, retentionBytes: configuration.changeRetentionBytes)
            let walIDs = names.compactMap(DatabaseFiles.walID(fromName:))
            writerState.walFileBytes = try retention.sizes(of: walIDs.filter { $0 != plan.replayIDs.last })
            let pruned = retention.prune(sizes: writerState.walFileBytes, walStart: plan.walKeepFrom)
            for id in pruned.deleted { writerState.walFileBytes[id] = nil }
            failedDeletions += pruned.failures.count
        }
        writerState.doomedSegments = plan.emptiedSegments.map { ($0, superblock.epoch) }
        let replayIDs = plan.replayIDs
        // Keep appending to the newest WAL file (its torn tail, if any, is already cut), so
        // that opening and closing without writes leaves no new files behind.
        let wal: WriteAheadLog
        if readOnly {
            wal = WriteAheadLog(detachedAfter: outcome.lastSequence, directory: path, fileSystem: fs)
        } else if let last = replayIDs.last {
            let length = try fs.openFile(path + "/" + DatabaseFiles.wal(last), create: false).length()
            wal = try WriteAheadLog(
                directory: path, fileSystem: fs, continuing: last, length: length, sequence: outcome.lastSequence,
                replayedFrames: outcome.framesApplied > 0)
        } else {
            wal = try WriteAheadLog(
                directory: path, fileSystem: fs, newFileID: superblock.walStart, sequence: outcome.lastSequence)
        }
        let database = Database(
            path: path, configuration: configuration, store: store, wal: wal, published: state, writer: writerState,
            superblockFile: superblockFile, lock: lock)
        database.failedDeletions.add(failedDeletions, ordering: .relaxed)
        configuration.logger.info(
            "opened",
            metadata: [
                "path": "\(path)", "epoch": "\(superblock.epoch)", "sequence": "\(outcome.lastSequence)",
                "replayedCommits": "\(outcome.framesApplied)", "tornBytes": "\(outcome.tornBytes)",
                "duration": "\(ContinuousClock.now - started)",
            ])
        return database
    }

    /// Throws `notADatabase` when a directory holding `names` has no superblock and holds files
    /// a Strata database does not make (or segments, which need a superblock).
    private static func refuseForeignDirectory(_ path: String, names: [String]) throws {
        guard !names.contains(DatabaseFiles.superblock) else { return }
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
    }

    /// The error of an open that finds no database and may not create one.
    private static func noDatabase(at path: String, _ configuration: Configuration) -> StrataError {
        StrataError(
            .notFound,
            "there is no Strata database at \(path), and it is not created "
                + (configuration.readOnly ? "by a read-only open" : "(createIfMissing is false)"),
            path: path)
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
        try SuperblockSlots.read(file).chosen
    }
}
