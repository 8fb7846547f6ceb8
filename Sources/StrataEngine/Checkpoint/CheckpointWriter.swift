import Logging

/// Writes a frozen dirty set to the segments and flips a superblock slot. It touches no tree
/// the writer edits and takes neither the writer lock nor the published-state lock, so it can
/// run while commits go on; it only appends to the active segment (nothing else does) and
/// writes the superblock file.
struct CheckpointWriter {
    let store: PageStore
    let superblockFile: any StorageFile
    let logger: Logger

    /// Writes every dirty subtree bottom-up, the catalog, fsyncs the segments, then writes and
    /// fsyncs the superblock slot `epoch % 2`: the commit point.
    func write(_ frozen: FrozenDirtySet) throws -> DurableCheckpoint {
        var writes = PageWrites()
        var records: [TreeRecord] = []
        for tree in frozen.trees.values.sorted(by: { $0.id < $1.id }) {
            let root = try tree.root.map { try persist($0, treeID: tree.id, &writes) }
            records.append(
                TreeRecord(
                    id: tree.id, name: tree.name, count: tree.count, root: root, settings: tree.settings, owner: tree.owner))
        }

        var table = frozen.segments
        for (segment, bytes) in writes.added {
            table[segment, default: SegmentInfo(id: segment, length: 0, liveBytes: 0)].liveBytes += bytes
        }
        for (segment, end) in writes.ends {
            table[segment, default: SegmentInfo(id: segment, length: 0, liveBytes: 0)].length = max(table[segment]!.length, end)
        }
        for address in frozen.freed {
            guard let info = table[address.segment], info.liveBytes >= UInt64(address.length) else {
                logger.error("live-byte accounting underflow", metadata: ["segment": "\(address.segment)"])
                table[address.segment]?.liveBytes = 0
                continue
            }
            table[address.segment]!.liveBytes = info.liveBytes - UInt64(address.length)
        }
        let catalog = Catalog(
            nextTreeID: frozen.nextTreeID, trees: records, segments: table.values.sorted { $0.id < $1.id })
        let catalogAddress = try store.write(kind: .catalog, treeID: 0, level: 0, entryCount: 1, payload: catalog.encode())
        _ = try store.segments.syncWritten()

        let position = store.segments.position
        let superblock = Superblock(
            formatVersion: Superblock.currentFormatVersion, epoch: frozen.superblock.epoch + 1, sequence: frozen.sequence,
            walStart: frozen.walStart, activeSegment: position.activeID, nextSegment: position.nextID,
            activeEnd: position.activeEnd, catalog: catalogAddress)
        let slot = Int64(superblock.epoch % 2) * Int64(Superblock.slotSize)
        try superblockFile.write(superblock.encode(), at: slot)
        try superblockFile.sync()
        table[position.activeID, default: SegmentInfo(id: position.activeID, length: 0, liveBytes: 0)].length =
            position.activeEnd
        return DurableCheckpoint(
            frozen: frozen, superblock: superblock, records: records, segments: table, writes: writes, finished: .now)
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
                    writes.written[ObjectIdentifier(leaf)] = PageWrites.Written(address: address)
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
            writes.written[ObjectIdentifier(branch)] = PageWrites.Written(address: address)
            store.cache.insert(address.cacheKey, clean)
            return address
        }
        let leaf = unsafeDowncast(node, to: LeafNode.self)
        var clean = leaf
        var blobs: [PageAddress] = []
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
                blobs.append(blob)
                leaf.withKey(at: i) { clean.appendExternal(key: $0, address: blob, valueLength: value.count) }
            }
        }
        let address = try append(clean, framed: store.frame(leaf: clean, treeID: treeID), &writes)
        writes.written[ObjectIdentifier(leaf)] = PageWrites.Written(address: address, blobs: blobs)
        return address
    }

    /// Appends a clean leaf's stored frame, records it and caches the leaf as a clean page.
    /// (The caller records which frozen node it was: `leaf` may be a new clean copy.)
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
}
