import Metrics

/// Checkpoints one database: hands the writer's dirty set off, has a ``CheckpointWriter``
/// write it and flip a superblock slot, then installs the result (the live trees switch to
/// the written pages, obsolete WAL files and segments go), and runs segment GC.
///
/// A checkpoint is three steps. The hand-off (under the writer lock, between two commits)
/// rotates the WAL and freezes the current trees (``FrozenDirtySet``). The write touches
/// only the frozen set, the active segment and the superblock file. The install (under the
/// writer lock again) rebases the live trees onto the written pages (``LiveTreeRebase``),
/// publishing new roots under the published-state lock only for the moment of assignment.
struct Checkpointer {
    let database: Database

    private var writer: CheckpointWriter {
        CheckpointWriter(store: database.store, superblockFile: database.superblockFile, logger: database.logger)
    }

    /// Writes a checkpoint on the calling thread (under the writer lock), and when segment GC
    /// has work, a second one that rewrites the live pages of sparse segments.
    ///
    /// The dirty pages go first, so that the pages GC makes dirty to move them never sit in
    /// memory beside a full dirty budget: peak memory is the larger of the two, not their sum.
    @discardableResult
    func run(_ w: inout WriterState, force: Bool) throws -> CheckpointReport? {
        defer { database.writerSummary.withLock { $0 = WriterSummary(w) } }
        let victims = try collectableSegments(&w)
        guard w.changedSinceCheckpoint || !w.freed.isEmpty || !victims.isEmpty || force && w.superblock.epoch == 0 else {
            deleteDoomedSegments(&w)
            return nil
        }
        var report: CheckpointReport?
        if w.changedSinceCheckpoint || !w.freed.isEmpty || victims.isEmpty {
            report = try checkpoint(&w, relocating: [])
        }
        if !victims.isEmpty {
            let collected = try checkpoint(&w, relocating: victims)
            report = report.map { $0.followed(by: collected) } ?? collected
            w.lastCheckpoint = report
        }
        return report
    }

    /// At a clean close that just checkpointed: one more checkpoint of the same state, so that
    /// the older superblock slot needs nothing the newest does not. The WAL files and emptied
    /// segments kept only for the previous checkpoint (the fallback slot) are then deleted, and
    /// a closed database takes no more disk than its data; both slots hold the final state.
    func writeClosingCheckpoint(_ w: inout WriterState) throws {
        _ = try checkpoint(&w, relocating: [])
        database.writerSummary.withLock { $0 = WriterSummary(w) }
    }

    /// One checkpoint on this thread: makes the live pages of `victims` dirty, hands off,
    /// writes, installs.
    private func checkpoint(_ w: inout WriterState, relocating victims: [UInt32]) throws -> CheckpointReport {
        for victim in victims { try relocateLivePages(of: victim, &w) }
        let frozen = try handOff(&w, victims: victims.count)
        let durable: DurableCheckpoint
        do {
            durable = try writer.write(frozen)
        } catch {
            abandon(frozen, &w)
            throw error
        }
        return install(durable, &w)
    }

    // MARK: Hand-off

    /// Rotates the WAL (commits from here on go to the new file, the new checkpoint's WAL
    /// start) and freezes the trees as of the last commit. The writer starts a fresh dirty set.
    func handOff(_ w: inout WriterState, victims: Int) throws -> FrozenDirtySet {
        let started = ContinuousClock.now
        let wal = database.wal
        let newWALID = wal.currentFileID + 1
        w.walFileBytes[newWALID - 1] = try wal.rotate(to: newWALID)
        let (trees, sequence) = database.published.withLock { ($0.trees, $0.sequence) }
        let frozen = FrozenDirtySet(
            trees: trees, sequence: sequence, nextTreeID: w.nextTreeID, freed: w.freed, dirtyBytes: w.dirtyBytes,
            segments: w.segments, superblock: w.superblock, walStart: newWALID, victims: victims, started: started)
        w.freed = []
        w.frozenDirtyBytes = w.dirtyBytes
        w.dirtyBytes = 0
        w.changedSinceCheckpoint = false
        return frozen
    }

    /// Gives a frozen set whose checkpoint failed back to the writer: its freed pages and dirty
    /// bytes count again (its nodes never left the live trees).
    func abandon(_ frozen: FrozenDirtySet, _ w: inout WriterState) {
        w.freed = frozen.freed + w.freed
        w.dirtyBytes += frozen.dirtyBytes
        w.frozenDirtyBytes = 0
        w.changedSinceCheckpoint = true
    }

    // MARK: Install

    /// Switches the live trees to a durable checkpoint's pages and readers to its epoch, takes
    /// its segment table and superblock as the writer's, and deletes the WAL files and emptied
    /// segments neither slot needs any longer.
    func install(_ done: DurableCheckpoint, _ w: inout WriterState) -> CheckpointReport {
        var rebase = LiveTreeRebase(written: done.writes.written)
        let live = database.published.withLock { $0.trees }
        let roots = live.values.map { tree in (tree.id, tree.root.map { rebase.rebase($0) }) }
        database.published.withLock { s in
            for (id, root) in roots { s.trees[id]?.root = root }
            s.epoch = done.superblock.epoch
        }
        let dead = rebase.deadPages(in: done.frozen.trees)

        var table = done.segments
        for (id, info) in table where info.liveBytes == 0 && id != done.superblock.activeSegment {
            table[id] = nil
            w.doomedSegments.append((id, done.superblock.epoch))
        }
        w.segments = table
        // The slot just overwritten held the checkpoint before `w.superblock`; the other slot
        // still holds `w.superblock`, which open falls back to if the new slot is ever found
        // damaged. Its WAL files stay until a newer checkpoint supersedes it.
        let olderWALStart = w.superblock.walStart
        w.superblock = done.superblock
        w.durableTrees = done.records
        // Superseded pages would only crowd live ones out of the cache (a snapshot that still
        // needs one reads it from its segment again).
        for address in done.frozen.freed { database.store.cache.remove(address.cacheKey) }
        // Written, but replaced or dropped since the hand-off: dead from the start.
        w.freed.append(contentsOf: dead)
        if !dead.isEmpty { w.changedSinceCheckpoint = true }
        w.frozenDirtyBytes = 0
        w.checkpointStarted = ContinuousClock.now
        deleteWALFiles(before: olderWALStart, &w)
        let deleted = deleteDoomedSegments(&w)
        let report = CheckpointReport(
            epoch: done.superblock.epoch, sequence: done.frozen.sequence, pagesWritten: done.writes.pages,
            bytesWritten: done.writes.bytes, segmentsCollected: done.frozen.victims,
            segmentsDeleted: deleted, duration: done.finished - done.frozen.started)
        w.lastCheckpoint = report
        releaseFreeMemory()
        let metrics = database.metrics
        metrics.checkpoints.record(duration: report.duration)
        metrics.checkpointBytes.increment(by: Int64(report.bytesWritten))
        metrics.segmentsCollected.increment(by: Int64(report.segmentsCollected))
        database.logger.debug(
            "checkpoint",
            metadata: [
                "epoch": "\(report.epoch)", "pages": "\(report.pagesWritten)", "bytes": "\(report.bytesWritten)",
                "collected": "\(report.segmentsCollected)", "duration": "\(report.duration)",
            ])
        return report
    }

    // MARK: Deleting obsolete files

    /// Deletes segment files neither superblock slot references and no open reader can reach.
    /// Returns how many were deleted.
    ///
    /// A segment emptied by checkpoint `e` is still read by checkpoint `e - 1`, which the other
    /// slot holds until checkpoint `e + 1` overwrites it: open falls back to that slot when the
    /// newer one is damaged, so the file stays until then.
    @discardableResult
    func deleteDoomedSegments(_ w: inout WriterState) -> Int {
        guard !w.doomedSegments.isEmpty else { return 0 }
        let oldestReader = database.published.withLock { $0.oldestReaderEpoch }
        let durableEpoch = w.superblock.epoch
        let store = database.store
        var deleted = 0
        w.doomedSegments.removeAll { doomed in
            guard durableEpoch > doomed.epoch else { return false }
            if let oldestReader, oldestReader < doomed.epoch { return false }
            do {
                try store.segments.delete(doomed.segment)
            } catch {
                database.failedDeletions.add(1, ordering: .relaxed)
                database.logger.warning(
                    "could not delete segment", metadata: ["segment": "\(doomed.segment)", "error": "\(error)"])
            }
            store.cache.removeSegment(doomed.segment)
            deleted += 1
            return true
        }
        return deleted
    }

    /// Deletes the WAL files before `id` (which neither superblock slot replays) that the change
    /// feed's retention bound does not keep.
    private func deleteWALFiles(before id: UInt64, _ w: inout WriterState) {
        let configuration = database.configuration
        let retention = WALRetention(
            directory: database.path, fileSystem: configuration.fileSystem,
            retentionBytes: configuration.changeRetentionBytes)
        let (deleted, failures) = retention.prune(sizes: w.walFileBytes, walStart: id)
        for id in deleted { w.walFileBytes[id] = nil }
        for (name, error) in failures {
            database.failedDeletions.add(1, ordering: .relaxed)
            database.logger.warning("could not delete WAL file", metadata: ["file": "\(name)", "error": "\(error)"])
        }
    }
}

extension Database {
    /// This database's checkpointer.
    var checkpointer: Checkpointer { Checkpointer(database: self) }
}
