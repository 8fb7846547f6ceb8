extension Database {
    /// Sealed segments to rewrite in this checkpoint, sparsest first.
    ///
    /// GC runs only while the files hold more than `1 / segmentGCRatio` times the live bytes,
    /// and moves at most half a dirty budget of live pages per checkpoint, so that relocation
    /// never turns into a storm of checkpoints that each trigger the next.
    func collectableSegments(_ w: inout WriterState) throws -> [UInt32] {
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
    /// out-of-line value, pending again), so the checkpoint under way writes it elsewhere.
    ///
    /// Pages are found by walking the segment's page headers; each page's first key (or a
    /// blob's owning key) leads down its tree to check that the tree still points at it.
    func relocateLivePages(of segment: UInt32, _ w: inout WriterState) throws {
        guard let info = w.segments[segment] else { return }
        let file = try store.segments.file(segment)
        var editor = BTreeEditor(store: store, pageSize: configuration.pageSize)
        // Walk the pages one at a time (not the whole segment in memory).
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
            try published.withLock { s in
                guard var tree = s.trees.removeValue(forKey: header.treeID) else { return }
                defer { s.trees[header.treeID] = tree }
                switch header.kind {
                case .leaf, .branch:
                    guard let key = try firstKey(of: header, payload: payload) else { return }
                    _ = try key.withUnsafeBytes { try editor.relocate(address, key: $0, in: &tree.root) }
                case .blob:
                    guard let (key, value) = try? PageCodec.decodeBlob(header, payload: payload),
                        let (leaf, index) = try key.withUnsafeBytes({ try BTreeReader(store: store).find($0, in: tree.root) }),
                        leaf.externalAddress(at: index) == address
                    else { return }
                    _ = try key.withUnsafeBytes { k in
                        try value.withUnsafeBytes { v in try editor.insert(key: k, value: v, into: &tree.root) }
                    }
                case .catalog:
                    return
                }
            }
        }
        w.freed.append(contentsOf: editor.freed)
        w.dirtyBytes += editor.dirtiedBytes
    }

    /// A key inside the page's range: a leaf's first key, or a branch's first separator.
    private func firstKey(of header: PageHeader, payload: [UInt8]) throws -> [UInt8]? {
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
