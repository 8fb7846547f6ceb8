import Synchronization

/// Reads tree pages and out-of-line values by address, through the page cache.
///
/// Holds the value settings of the trees that have their own (``TreeSettings``), by tree id:
/// a page's header names its tree, so decoding a leaf and framing a page use that tree's
/// threshold and compression without the callers passing them.
final class PageStore: Sendable {
    let segments: SegmentStore
    let cache: PageCache
    /// The configuration's threshold, for trees without their own.
    let largeValueThreshold: Int
    /// The configuration's compression, for trees without their own.
    let compress: Bool
    /// Set by ``Database/close()``: every read through this store (a snapshot's, a cursor's)
    /// then throws `closed`, even of pages still in memory.
    private let closed = Atomic<Bool>(false)
    let pageSize: Int
    /// The effective settings of trees whose settings are not all the configuration's.
    private let treeSettings = Lock<[UInt32: (largeValueThreshold: Int, compress: Bool)]>([:])

    init(segments: SegmentStore, cache: PageCache, largeValueThreshold: Int, compress: Bool, pageSize: Int = 1 << 20) {
        self.segments = segments
        self.cache = cache
        self.largeValueThreshold = largeValueThreshold
        self.compress = compress
        self.pageSize = pageSize
    }

    /// Records tree `id`'s settings (at open from the catalog, and when a commit creates it).
    func register(tree id: UInt32, settings: TreeSettings) {
        guard !settings.isDefault else { return }
        let effective = (
            settings.effectiveThreshold(default: largeValueThreshold, pageSize: pageSize), settings.compression ?? compress
        )
        treeSettings.withLock { $0[id] = effective }
    }

    /// Forgets tree `id`'s settings (it was dropped; tree ids are never reused).
    func forget(tree id: UInt32) {
        treeSettings.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// The threshold above which tree `id` stores values out of line.
    func largeValueThreshold(ofTree id: UInt32) -> Int {
        treeSettings.withLock { $0[id]?.largeValueThreshold } ?? largeValueThreshold
    }

    /// Whether tree `id`'s pages are LZ4-compressed when that pays.
    func compresses(tree id: UInt32) -> Bool {
        treeSettings.withLock { $0[id]?.compress } ?? compress
    }

    /// Marks the database closed for every reader still holding this store.
    func close() { closed.store(true, ordering: .releasing) }

    /// Throws `closed` once the database is closed (one atomic load).
    @inline(__always)
    func checkOpen() throws {
        if closed.load(ordering: .acquiring) {
            throw StrataError(.closed, "the database at \(segments.directory) is closed")
        }
    }

    /// The leaf or branch stored at `address`.
    func node(_ address: PageAddress) throws -> PageNode {
        try checkOpen()
        if let cached = cache.get(address.cacheKey) { return cached }
        let node = try decodeTreePage(address)
        cache.insert(address.cacheKey, node)
        return node
    }

    /// The value stored out of line at `address`.
    func blob(_ address: PageAddress) throws -> [UInt8] {
        try checkOpen()
        if let cached = cache.get(address.cacheKey) as? BlobNode { return cached.value }
        let (header, payload) = try unframe(address)
        guard header.kind == .blob, let decoded = try? PageCodec.decodeBlob(header, payload: payload) else {
            throw corruption("out-of-line value does not decode", address)
        }
        cache.insert(address.cacheKey, BlobNode(value: decoded.value))
        return decoded.value
    }

    /// Reads and decodes a page without touching the cache (for `verify`).
    func decodeTreePage(_ address: PageAddress) throws -> PageNode {
        let (header, payload) = try unframe(address)
        do {
            switch header.kind {
            case .leaf:
                return try PageCodec.decodeLeaf(
                    header, payload: payload, largeValueThreshold: largeValueThreshold(ofTree: header.treeID))
            case .branch: return try PageCodec.decodeBranch(header, payload: payload)
            case .blob, .catalog: throw ByteReader.OutOfBounds(offset: 0)
            }
        } catch {
            throw corruption("\(header.kind) page does not decode", address)
        }
    }

    /// The checked header and raw payload of the page at `address`.
    func unframe(_ address: PageAddress) throws -> (PageHeader, [UInt8]) {
        let bytes = try segments.read(address)
        do {
            return try PageCodec.unframe(bytes)
        } catch {
            throw corruption("page header or compression is invalid", address)
        }
    }

    /// The stored frame of a clean leaf (encoded, LZ4-compressed when that pays), ready for
    /// ``append(frame:)``. Safe to call from several threads at once.
    func frame(leaf: LeafNode, treeID: UInt32) -> [UInt8] {
        PageCodec.frame(
            kind: .leaf, treeID: treeID, level: 0, entryCount: leaf.count, payload: PageCodec.leafPayload(leaf),
            compress: compresses(tree: treeID))
    }

    /// Appends a frame made by ``frame(leaf:treeID:)`` to the active segment.
    func append(frame: [UInt8]) throws -> PageAddress {
        try segments.append(frame)
    }

    /// Frames and appends a page to the active segment.
    func write(kind: PageKind, treeID: UInt32, level: Int, entryCount: Int, payload: [UInt8]) throws -> PageAddress {
        let bytes = PageCodec.frame(
            kind: kind, treeID: treeID, level: level, entryCount: entryCount, payload: payload,
            compress: kind != .catalog && compresses(tree: treeID))
        return try segments.append(bytes)
    }

    func corruption(_ message: String, _ address: PageAddress) -> StrataError {
        StrataError.corruption(message, path: segments.path(of: address.segment), offset: Int64(address.offset))
    }
}
