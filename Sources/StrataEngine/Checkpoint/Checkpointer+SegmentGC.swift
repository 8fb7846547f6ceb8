extension Checkpointer {
    /// Sealed segments to rewrite in this checkpoint, sparsest first.
    ///
    /// GC runs only while the files hold more than `1 / segmentGCRatio` times the live bytes,
    /// and moves at most half a dirty budget of live pages per checkpoint, so that relocation
    /// never turns into a storm of checkpoints that each trigger the next.
    func collectableSegments(_ w: inout WriterState) throws -> [UInt32] {
        let store = database.store, configuration = database.configuration
        try sealSparseActiveSegment(&w)
        let active = store.segments.position.activeID
        let total = w.segments.values.reduce(UInt64(0)) { $0 + $1.length }
        let live = w.segments.values.reduce(UInt64(0)) { $0 + $1.liveBytes }
        let ratio = configuration.segmentGCRatio
        var excess = Double(total) - Double(live) / ratio
        guard excess > 0 else { return [] }
        var budget = UInt64(max(configuration.dirtyBytes / 2, configuration.pageSize * 16))
        var chosen: [UInt32] = []
        for info in w.segments.values.sorted(by: { $0.liveRatio < $1.liveRatio }) {
            guard excess > 0 else { break }
            guard info.id != active, info.length > 0, info.liveRatio < ratio else { continue }
            guard info.liveBytes <= budget else { break }
            budget -= info.liveBytes
            excess -= Double(info.length - info.liveBytes)
            chosen.append(info.id)
        }
        return chosen
    }

    /// Seals the active segment when the files are over the space bound and the active segment
    /// itself is sparse (as when a small database is overwritten again and again inside one
    /// segment), so that it becomes collectable; a new active segment takes the next pages.
    private func sealSparseActiveSegment(_ w: inout WriterState) throws {
        let store = database.store, configuration = database.configuration
        let active = store.segments.position.activeID
        guard let info = w.segments[active], info.length >= UInt64(configuration.pageSize * 64),
            info.liveRatio < configuration.segmentGCRatio
        else { return }
        let total = w.segments.values.reduce(UInt64(0)) { $0 + $1.length }
        let live = w.segments.values.reduce(UInt64(0)) { $0 + $1.liveBytes }
        guard Double(total) > Double(live) / configuration.segmentGCRatio else { return }
        try store.segments.sealActive()
    }

    /// Makes every page of `segment` that a tree still references dirty (or, for an
    /// out-of-line value, pending again), so the next checkpoint writes it elsewhere.
    ///
    /// Pages are found by walking the segment's page headers; each page's first key (or a
    /// blob's owning key) leads down its tree to check that the tree still points at it. Each
    /// tree is edited as a copy and its new root published at the end, so readers never wait
    /// on the reads.
    func relocateLivePages(of segment: UInt32, _ w: inout WriterState) throws {
        let store = database.store
        var editor = BTreeEditor(store: store, pageSize: database.configuration.pageSize)
        let pages = try storedPages(of: segment, w)
        for treeID in Set(pages.map(\.treeID)).sorted() {
            guard var tree = database.published.withLock({ $0.trees[treeID] }) else { continue }
            for page in pages where page.treeID == treeID {
                if page.isBlob {
                    guard let (leaf, index) = try page.key.withUnsafeBytes({ try BTreeReader(store: store).find($0, in: tree.root) }),
                        leaf.externalAddress(at: index) == page.address
                    else { continue }
                    let value = try store.blob(page.address)
                    _ = try page.key.withUnsafeBytes { k in
                        try value.withUnsafeBytes { v in try editor.insert(key: k, value: v, into: &tree.root) }
                    }
                } else {
                    _ = try page.key.withUnsafeBytes { try editor.relocate(page.address, key: $0, in: &tree.root) }
                }
            }
            let root = tree.root
            database.published.withLock { $0.trees[treeID]?.root = root }
        }
        w.freed.append(contentsOf: editor.freed)
        w.dirtyBytes += editor.dirtiedBytes
    }

    /// One stored page of a segment that GC may move: its tree, address, a key that leads to
    /// it, and whether it is a blob (whose value is read again only if it is still live).
    private struct StoredPage {
        var treeID: UInt32
        var address: PageAddress
        var key: [UInt8]
        var isBlob = false
    }

    /// The tree pages and blobs of `segment`, read one at a time (not the whole segment in memory).
    private func storedPages(of segment: UInt32, _ w: WriterState) throws -> [StoredPage] {
        guard let info = w.segments[segment] else { return [] }
        let file = try database.store.segments.file(segment)
        var pages: [StoredPage] = []
        var offset = 0
        let end = Int(info.length)
        while offset + PageHeader.size <= end {
            var reader = ByteReader(try file.readExactly(at: Int64(offset), count: PageHeader.size))
            guard let header = try? PageHeader.decode(from: &reader) else {
                throw StrataError.corruption("page header does not decode", path: file.path, offset: Int64(offset))
            }
            let size = PageHeader.size + Int(header.storedLength)
            guard size <= end - offset else {
                throw StrataError.corruption("page runs past the end of the segment", path: file.path, offset: Int64(offset))
            }
            let pageBytes = try file.readExactly(at: Int64(offset), count: size)
            let address = PageAddress(
                segment: segment, offset: UInt32(offset), length: UInt32(size), checksum: Checksum.xxh3(pageBytes))
            offset += size
            guard header.kind != .catalog, let (_, payload) = try? PageCodec.unframe(pageBytes) else { continue }
            switch header.kind {
            case .leaf, .branch:
                guard let key = try firstKey(of: header, payload: payload) else { continue }
                pages.append(StoredPage(treeID: header.treeID, address: address, key: key))
            case .blob:
                guard let (key, _) = try? PageCodec.decodeBlob(header, payload: payload) else { continue }
                pages.append(StoredPage(treeID: header.treeID, address: address, key: key, isBlob: true))
            case .catalog:
                continue
            }
        }
        return pages
    }

    /// A key inside the page's range: a leaf's first key, or a branch's first separator.
    private func firstKey(of header: PageHeader, payload: [UInt8]) throws -> [UInt8]? {
        let store = database.store
        if header.kind == .leaf {
            guard let leaf = try? PageCodec.decodeLeaf(header, payload: payload, largeValueThreshold: store.largeValueThreshold),
                leaf.count > 0
            else { return nil }
            return leaf.key(at: 0)
        }
        guard let branch = try? PageCodec.decodeBranch(header, payload: payload) else { return nil }
        if branch.separatorCount > 0 { return branch.separator(at: 0) }
        var node = try BTreeReader(store: store).load(branch.children[0])
        while node.kind == .branch { node = try BTreeReader(store: store).load(unsafeDowncast(node, to: BranchNode.self).children[0]) }
        let leaf = unsafeDowncast(node, to: LeafNode.self)
        return leaf.count > 0 ? leaf.key(at: 0) : nil
    }
}
