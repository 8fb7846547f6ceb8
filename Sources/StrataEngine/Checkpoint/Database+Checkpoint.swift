import Metrics

extension Database {
    /// Writes a checkpoint (under the writer lock), and when segment GC has work, a second one
    /// that rewrites the live pages of sparse segments.
    ///
    /// The dirty pages go first, so that the pages GC makes dirty to move them never sit in
    /// memory beside a full dirty budget: peak memory is the larger of the two, not their sum.
    @discardableResult
    func runCheckpoint(_ w: inout WriterState, force: Bool) throws -> CheckpointReport? {
        defer { writerSummary.withLock { $0 = WriterSummary(w) } }
        let victims = try collectableSegments(&w)
        guard w.changedSinceCheckpoint || !w.freed.isEmpty || !victims.isEmpty || force && w.superblock.epoch == 0 else {
            deleteDoomedSegments(&w)
            return nil
        }
        var report: CheckpointReport?
        if w.changedSinceCheckpoint || !w.freed.isEmpty || victims.isEmpty {
            report = try writeCheckpoint(&w, relocating: [])
        }
        if !victims.isEmpty {
            let collected = try writeCheckpoint(&w, relocating: victims)
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
        _ = try writeCheckpoint(&w, relocating: [])
    }

    /// One checkpoint: rotates the WAL, makes the live pages of `victims` dirty, writes dirty
    /// pages bottom-up, the catalog, fsyncs the segments, then flips a superblock slot. Only
    /// then are WAL files (beyond the change feed's retention) and emptied segments deleted that
    /// neither slot needs any longer.
    private func writeCheckpoint(_ w: inout WriterState, relocating victims: [UInt32]) throws -> CheckpointReport {
        let started = ContinuousClock.now
        let newWALID = wal.currentFileID + 1
        w.walFileBytes[newWALID - 1] = try wal.rotate(to: newWALID)

        for victim in victims { try relocateLivePages(of: victim, &w) }

        let (trees, sequence) = published.withLock { ($0.trees, $0.sequence) }
        var writes = PageWrites()
        var records: [TreeRecord] = []
        for tree in trees.values.sorted(by: { $0.id < $1.id }) {
            let root = try tree.root.map { try persist($0, treeID: tree.id, &writes) }
            records.append(
                TreeRecord(
                    id: tree.id, name: tree.name, count: tree.count, root: root, settings: tree.settings, owner: tree.owner))
        }

        var table = w.segments
        for (segment, bytes) in writes.added {
            table[segment, default: SegmentInfo(id: segment, length: 0, liveBytes: 0)].liveBytes += bytes
        }
        for (segment, end) in writes.ends {
            table[segment, default: SegmentInfo(id: segment, length: 0, liveBytes: 0)].length = max(table[segment]!.length, end)
        }
        for address in w.freed {
            guard let info = table[address.segment], info.liveBytes >= UInt64(address.length) else {
                logger.error("live-byte accounting underflow", metadata: ["segment": "\(address.segment)"])
                table[address.segment]?.liveBytes = 0
                continue
            }
            table[address.segment]!.liveBytes = info.liveBytes - UInt64(address.length)
        }
        let catalog = Catalog(
            nextTreeID: w.nextTreeID, trees: records, segments: table.values.sorted { $0.id < $1.id })
        let catalogAddress = try store.write(kind: .catalog, treeID: 0, level: 0, entryCount: 1, payload: catalog.encode())
        _ = try store.segments.syncWritten()

        let position = store.segments.position
        let superblock = Superblock(
            formatVersion: Superblock.currentFormatVersion, epoch: w.superblock.epoch + 1, sequence: sequence,
            walStart: newWALID, activeSegment: position.activeID, nextSegment: position.nextID,
            activeEnd: position.activeEnd, catalog: catalogAddress)
        let slot = Int64(superblock.epoch % 2) * Int64(Superblock.slotSize)
        try superblockFile.write(superblock.encode(), at: slot)
        try superblockFile.sync()

        // Durable. Readers switch to the stored pages; the dirty ones are released.
        published.withLock { s in
            for record in records {
                s.trees[record.id]?.root = record.root.map { ChildRef(address: $0) }
            }
            s.epoch = superblock.epoch
        }
        table[position.activeID, default: SegmentInfo(id: position.activeID, length: 0, liveBytes: 0)].length =
            position.activeEnd
        for (id, info) in table where info.liveBytes == 0 && id != position.activeID {
            table[id] = nil
            w.doomedSegments.append((id, superblock.epoch))
        }
        w.segments = table
        // The slot just overwritten held the checkpoint before `w.superblock`; the other slot
        // still holds `w.superblock`, which open falls back to if the new slot is ever found
        // damaged. Its WAL files stay until a newer checkpoint supersedes it.
        let olderWALStart = w.superblock.walStart
        w.superblock = superblock
        w.durableTrees = records
        // Superseded pages would only crowd live ones out of the cache (a snapshot that still
        // needs one reads it from its segment again).
        for address in w.freed { store.cache.remove(address.cacheKey) }
        w.freed = []
        w.dirtyBytes = 0
        w.changedSinceCheckpoint = false
        w.checkpointStarted = ContinuousClock.now
        deleteWALFiles(before: olderWALStart, &w)
        let deleted = deleteDoomedSegments(&w)
        let report = CheckpointReport(
            epoch: superblock.epoch, sequence: sequence, pagesWritten: writes.pages,
            bytesWritten: writes.added.values.reduce(0, +), segmentsCollected: victims.count,
            segmentsDeleted: deleted, duration: ContinuousClock.now - started)
        w.lastCheckpoint = report
        releaseFreeMemory()
        metrics.checkpoints.record(duration: report.duration)
        metrics.checkpointBytes.increment(by: Int64(report.bytesWritten))
        metrics.segmentsCollected.increment(by: Int64(report.segmentsCollected))
        logger.debug(
            "checkpoint",
            metadata: [
                "epoch": "\(report.epoch)", "pages": "\(report.pagesWritten)", "bytes": "\(report.bytesWritten)",
                "collected": "\(report.segmentsCollected)", "duration": "\(report.duration)",
            ])
        return report
    }

    /// What a checkpoint appended.
    struct PageWrites {
        var pages = 0
        var added: [UInt32: UInt64] = [:]
        var ends: [UInt32: UInt64] = [:]

        mutating func record(_ address: PageAddress) {
            pages += 1
            added[address.segment, default: 0] += UInt64(address.length)
            ends[address.segment] = max(ends[address.segment] ?? 0, UInt64(address.offset) + UInt64(address.length))
        }
    }

    /// Writes a dirty subtree bottom-up and returns its root's address; clean subtrees are
    /// referenced where they are. Written nodes enter the page cache as clean pages.
    private func persist(_ ref: ChildRef, treeID: UInt32, _ writes: inout PageWrites) throws -> PageAddress {
        guard let node = ref.node else { return ref.address }
        if node.kind == .branch {
            let branch = unsafeDowncast(node, to: BranchNode.self)
            let clean = BranchNode(level: branch.level)
            var addresses: [PageAddress] = []
            addresses.reserveCapacity(branch.children.count)
            // A branch of leaves has its dirty leaves encoded and compressed on every core at
            // once; they are then appended in order, as below.
            let framed = branch.level == 1 ? frameLeaves(of: branch, treeID: treeID) : []
            for (index, child) in branch.children.enumerated() {
                let address: PageAddress
                if index < framed.count, let (frame, leaf) = framed[index] {
                    address = try append(leaf, framed: frame, &writes)
                } else {
                    address = try persist(child, treeID: treeID, &writes)
                }
                addresses.append(address)
                clean.appendChild(ChildRef(address: address))
            }
            for i in 0..<branch.separatorCount { branch.withSeparator(at: i) { clean.appendSeparator($0) } }
            let address = try store.write(
                kind: .branch, treeID: treeID, level: branch.level, entryCount: addresses.count,
                payload: PageCodec.branchPayload(branch, childAddresses: addresses))
            writes.record(address)
            store.cache.insert(address.cacheKey, clean)
            return address
        }
        let leaf = unsafeDowncast(node, to: LeafNode.self)
        var clean = leaf
        if hasPendingLarge(leaf) {
            clean = LeafNode(largeValueThreshold: leaf.largeValueThreshold)
            for i in 0..<leaf.count {
                let slot = leaf.slot(at: i)
                guard isPendingLarge(slot, in: leaf) else {
                    clean.appendCopy(of: leaf, at: i)
                    continue
                }
                let value = Array(leaf.storedValue(at: i))
                let blob = try leaf.withKey(at: i) { key in
                    try value.withUnsafeBytes { v in
                        try store.write(
                            kind: .blob, treeID: treeID, level: 0, entryCount: 1,
                            payload: PageCodec.blobPayload(key: key, value: v))
                    }
                }
                writes.record(blob)
                leaf.withKey(at: i) { clean.appendExternal(key: $0, address: blob, valueLength: value.count) }
            }
        }
        return try append(clean, framed: store.frame(leaf: clean, treeID: treeID), &writes)
    }

    /// Appends a clean leaf's stored frame, records it and caches the leaf as a clean page.
    private func append(_ leaf: LeafNode, framed frame: [UInt8], _ writes: inout PageWrites) throws -> PageAddress {
        let address = try store.append(frame: frame)
        writes.record(address)
        store.cache.insert(address.cacheKey, leaf)
        return address
    }

    /// The stored frames of `branch`'s dirty leaf children, by child index, made in parallel;
    /// nil for a clean child or a leaf with values waiting to move out of line (those go
    /// through ``persist(_:treeID:_:)``).
    private func frameLeaves(of branch: BranchNode, treeID: UInt32) -> [(frame: [UInt8], leaf: LeafNode)?] {
        let leaves: [LeafNode?] = branch.children.map { child in
            guard let node = child.node, node.kind == .leaf else { return nil }
            let leaf = unsafeDowncast(node, to: LeafNode.self)
            return hasPendingLarge(leaf) ? nil : leaf
        }
        let store = self.store
        let frames = parallelMap(leaves.count) { i in leaves[i].map { store.frame(leaf: $0, treeID: treeID) } }
        return zip(frames, leaves).map { frame, leaf in frame.map { ($0, leaf!) } }
    }

    /// Whether `leaf` holds an inline value the checkpoint must move out of line first.
    private func hasPendingLarge(_ leaf: LeafNode) -> Bool {
        (0..<leaf.count).contains { isPendingLarge(leaf.slot(at: $0), in: leaf) }
    }

    /// Against the leaf's own threshold: its tree's (``TreeSettings``), or the configuration's.
    private func isPendingLarge(_ slot: LeafSlot, in leaf: LeafNode) -> Bool {
        slot.kind == .inline && Int(slot.valueLength) > leaf.largeValueThreshold
    }

    /// Deletes segment files neither superblock slot references and no open reader can reach.
    /// Returns how many were deleted.
    ///
    /// A segment emptied by checkpoint `e` is still read by checkpoint `e - 1`, which the other
    /// slot holds until checkpoint `e + 1` overwrites it: open falls back to that slot when the
    /// newer one is damaged, so the file stays until then.
    @discardableResult
    func deleteDoomedSegments(_ w: inout WriterState) -> Int {
        guard !w.doomedSegments.isEmpty else { return 0 }
        let oldestReader = published.withLock { $0.oldestReaderEpoch }
        let durableEpoch = w.superblock.epoch
        var deleted = 0
        w.doomedSegments.removeAll { doomed in
            guard durableEpoch > doomed.epoch else { return false }
            if let oldestReader, oldestReader < doomed.epoch { return false }
            do {
                try store.segments.delete(doomed.segment)
            } catch {
                failedDeletions.add(1, ordering: .relaxed)
                logger.warning("could not delete segment", metadata: ["segment": "\(doomed.segment)", "error": "\(error)"])
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
        let retention = WALRetention(
            directory: path, fileSystem: configuration.fileSystem, retentionBytes: configuration.changeRetentionBytes)
        let (deleted, failures) = retention.prune(sizes: w.walFileBytes, walStart: id)
        for id in deleted { w.walFileBytes[id] = nil }
        for (name, error) in failures {
            failedDeletions.add(1, ordering: .relaxed)
            logger.warning("could not delete WAL file", metadata: ["file": "\(name)", "error": "\(error)"])
        }
    }
}
