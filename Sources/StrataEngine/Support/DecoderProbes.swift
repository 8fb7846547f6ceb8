/// Entry points that run each on-disk decoder over arbitrary bytes, for the fuzz targets in
/// `Fuzz/` and for replaying the inputs they found. Not part of the supported API.
///
/// Each returns normally whether the input decodes or is rejected; what must never happen is
/// a trap, a hang or an unbounded allocation.
@_spi(Fuzzing)
public enum DecoderProbes {
    /// Parses WAL frames one after another from the start of `bytes`. Returns how many decoded.
    @discardableResult
    public static func walFrames(_ bytes: [UInt8]) -> Int {
        var offset = 0
        var frames = 0
        while offset < bytes.count, case .frame(_, _, let size) = LogFrame.parse(bytes, at: offset) {
            offset += size
            frames += 1
        }
        return frames
    }

    /// Whether `bytes` is a stream of one or more WAL frames that all parse, to its last byte.
    public static func walFramesDecodeCompletely(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count, case .frame(_, _, let size) = LogFrame.parse(bytes, at: offset) {
            offset += size
        }
        return !bytes.isEmpty && offset == bytes.count
    }

    /// Unframes a stored page and decodes its payload as whatever its header says it is.
    /// Returns whether it decoded.
    @discardableResult
    public static func page(_ bytes: [UInt8]) -> Bool {
        guard let (header, payload) = try? PageCodec.unframe(bytes) else { return false }
        switch header.kind {
        case .leaf:
            guard let leaf = try? PageCodec.decodeLeaf(header, payload: payload, largeValueThreshold: 1024) else {
                return false
            }
            for i in 0..<leaf.count { _ = leaf.key(at: i); _ = StoredValue.read(leaf, at: i) }
            return true
        case .branch:
            guard let branch = try? PageCodec.decodeBranch(header, payload: payload) else { return false }
            // The separators' lengths are summed, not discarded: with `_ = separator(at:)` in
            // this loop, the -O build under ASan released each new array before copying into
            // it (a miscompile of the discarded copy; found by fuzz-page, Fuzz/regressions/page).
            // A decoded branch has no empty separator, so each adds at least one byte.
            var bytes = 0
            for i in 0..<branch.separatorCount { bytes += branch.separator(at: i).count }
            return bytes >= branch.separatorCount
        case .blob:
            return (try? PageCodec.decodeBlob(header, payload: payload)) != nil
        case .catalog:
            return catalog(payload)
        }
    }

    /// Decodes a superblock slot. Returns whether it is valid.
    @discardableResult
    public static func superblock(_ bytes: [UInt8]) -> Bool {
        if case .valid = Superblock.decode(bytes) { return true }
        return false
    }

    /// Decodes a catalog payload in the current format, or else in format 1 (which a
    /// format-1 superblock's catalog has). Returns whether it decoded.
    @discardableResult
    public static func catalog(_ bytes: [UInt8]) -> Bool {
        (try? Catalog.decode(bytes)) != nil || (try? Catalog.decode(bytes, formatVersion: 1)) != nil
    }

    /// The checksum every structure stores (XXH3-64, seed 0), so that a fuzz target can repair
    /// the checksums of a mutated input and reach the decoding behind them.
    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        Checksum.xxh3(bytes)
    }

    /// Valid encodings of each structure, for seed corpora.
    public static func sampleEncodings() -> [(name: String, bytes: [UInt8])] {
        var samples: [(String, [UInt8])] = []
        let frame = LogFrame.encode(
            sequence: 7,
            operations: [
                .createTree(tree: 1, name: "nodes"), .put(tree: 1, key: Array("k".utf8), value: Array("v".utf8)),
                .remove(tree: 1, key: Array("gone".utf8)), .clear(tree: 2), .dropTree(tree: 3),
            ])
        samples.append(("wal-frame", frame))
        let leaf = LeafNode(largeValueThreshold: 1024)
        for i in 0..<20 {
            let key = Array("key-\(i)".utf8)
            let value = [UInt8](repeating: UInt8(i), count: 40)
            key.withUnsafeBytes { k in value.withUnsafeBytes { v in leaf.insert(at: i, key: k, value: v) } }
        }
        let leafPayload = PageCodec.leafPayload(leaf)
        samples.append(("leaf-page", PageCodec.frame(kind: .leaf, treeID: 1, level: 0, entryCount: leaf.count, payload: leafPayload, compress: false)))
        samples.append(("leaf-page-lz4", PageCodec.frame(kind: .leaf, treeID: 1, level: 0, entryCount: leaf.count, payload: leafPayload, compress: true)))
        let address = PageAddress(segment: 1, offset: 0, length: 100, checksum: 42)
        let branch = BranchNode(level: 1, left: ChildRef(address: address), separator: Array("m".utf8), right: ChildRef(address: address))
        samples.append(("branch-page", PageCodec.frame(kind: .branch, treeID: 1, level: 1, entryCount: 2, payload: PageCodec.branchPayload(branch, childAddresses: [address, address]), compress: false)))
        let blob = Array("owner".utf8).withUnsafeBytes { k in [UInt8](repeating: 9, count: 300).withUnsafeBytes { v in PageCodec.blobPayload(key: k, value: v) } }
        samples.append(("blob-page", PageCodec.frame(kind: .blob, treeID: 1, level: 0, entryCount: 1, payload: blob, compress: true)))
        let catalog = Catalog(
            nextTreeID: 3, trees: [TreeRecord(id: 1, name: "nodes", count: 20, root: address), TreeRecord(id: 2, name: "e", count: 0, root: nil)],
            segments: [SegmentInfo(id: 1, length: 4096, liveBytes: 100)])
        samples.append(("catalog", catalog.encode()))
        samples.append(("catalog-page", PageCodec.frame(kind: .catalog, treeID: 0, level: 0, entryCount: 1, payload: catalog.encode(), compress: false)))
        let superblock = Superblock(
            formatVersion: 1, epoch: 3, sequence: 99, walStart: 4, activeSegment: 1, nextSegment: 2, activeEnd: 4096,
            catalog: address)
        samples.append(("superblock", superblock.encode()))
        return samples
    }
}
