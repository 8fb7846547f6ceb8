/// Entry points that run the engine's hot paths on inputs built beforehand, for the
/// micro-benchmarks in `Benchmarks/Benchmarks/HotPaths`. Not part of the supported API.
///
/// Each `make…` function builds an input once (outside the timed region); each other function
/// runs exactly one internal operation on it and returns something derived from its result, so
/// that the optimizer cannot drop the work.
@_spi(Benchmarks)
public enum HotPathProbes {
    /// An in-memory leaf node, opaque to the benchmark.
    public final class OpaqueLeaf: Sendable {
        let node: LeafNode

        init(_ node: LeafNode) { self.node = node }

        /// The number of entries.
        public var count: Int { node.count }

        /// The size the leaf has when encoded as a page payload, header included.
        public var encodedSize: Int { node.encodedSize }
    }

    /// An in-memory branch node, opaque to the benchmark.
    public final class OpaqueBranch: Sendable {
        let node: BranchNode

        init(_ node: BranchNode) { self.node = node }

        /// The number of children.
        public var childCount: Int { node.children.count }
    }

    /// A batch of WAL operations, opaque to the benchmark.
    public final class OpaqueOperations: Sendable {
        let operations: [Operation]

        init(_ operations: [Operation]) { self.operations = operations }

        /// The number of operations.
        public var count: Int { operations.count }
    }

    /// The engine's page cache, opaque to the benchmark.
    public final class OpaqueCache: Sendable {
        let cache: PageCache

        /// A cache of `budget` decoded bytes (`PageCache(budget:)`, 16 shards).
        public init(budget: Int) { cache = PageCache(budget: budget) }

        /// Caches `leaf` under `key` (`PageCache.insert`).
        public func insert(key: UInt64, leaf: OpaqueLeaf) { cache.insert(key, leaf.node) }

        /// Looks `key` up (`PageCache.get`). Returns whether it was cached.
        public func get(key: UInt64) -> Bool { cache.get(key) != nil }
    }

    // MARK: Inputs

    /// A key of `keyLength` bytes (at least 8): `k` bytes, then `ordinal` big-endian, so keys
    /// sort as their ordinals.
    public static func key(_ ordinal: UInt64, keyLength: Int) -> [UInt8] {
        precondition(keyLength >= 8, "keys are at least 8 bytes")
        var key = [UInt8](repeating: UInt8(ascii: "k"), count: keyLength - 8)
        withUnsafeBytes(of: ordinal.bigEndian) { key.append(contentsOf: $0) }
        return key
    }

    /// A value of `length` bytes that LZ4 halves, like db_bench's (compression ratio 0.5): the
    /// first half pseudo-random from `seed`, the second half zeros.
    public static func value(seed: UInt64, length: Int) -> [UInt8] {
        var state = seed
        var value = [UInt8](repeating: 0, count: length)
        for i in 0..<length / 2 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            value[i] = UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
        return value
    }

    /// How many entries of `keyLength`-byte keys and `valueLength`-byte inline values fill an
    /// encoded leaf page of at most `pageBytes` (header included).
    public static func leafEntries(fitting pageBytes: Int, keyLength: Int, valueLength: Int) -> Int {
        let entry = 1 + varintLength(UInt64(keyLength)) + varintLength(UInt64(valueLength) << 1) + keyLength + valueLength
        return (pageBytes - LeafNode.headerSize) / entry
    }

    /// A leaf of `entries` inline entries whose keys are ``key(_:keyLength:)`` of the even
    /// ordinals 0, 2, …, 2(entries − 1): odd ordinals miss. Values never go out of line.
    public static func makeLeaf(entries: Int, keyLength: Int, valueLength: Int) -> OpaqueLeaf {
        let leaf = LeafNode(largeValueThreshold: max(valueLength, 1024))
        for i in 0..<entries {
            let key = key(UInt64(2 * i), keyLength: keyLength)
            let value = value(seed: UInt64(i), length: valueLength)
            key.withUnsafeBytes { k in value.withUnsafeBytes { v in leaf.insert(at: i, key: k, value: v) } }
        }
        return OpaqueLeaf(leaf)
    }

    /// A level-1 branch of `children` children whose separators are ``key(_:keyLength:)`` of the
    /// ordinals 2, 4, …, 2(children − 1): child `i` holds ordinals `2i ..< 2i + 2`.
    public static func makeBranch(children: Int, keyLength: Int) -> OpaqueBranch {
        precondition(children >= 1, "a branch has a child")
        let branch = BranchNode(level: 1)
        for i in 0..<children {
            let address = PageAddress(segment: 1, offset: UInt32(i) * 8192, length: 8192, checksum: UInt64(i))
            branch.appendChild(ChildRef(address: address))
            if i > 0 { key(UInt64(2 * i), keyLength: keyLength).withUnsafeBytes { branch.appendSeparator($0) } }
        }
        return OpaqueBranch(branch)
    }

    /// A commit of `count` puts into tree 1 of ``key(_:keyLength:)`` of ordinals 0 ..< count.
    public static func makeOperations(count: Int, keyLength: Int, valueLength: Int) -> OpaqueOperations {
        OpaqueOperations(
            (0..<count).map { i in
                .put(tree: 1, key: key(UInt64(i), keyLength: keyLength), value: value(seed: UInt64(i), length: valueLength))
            })
    }

    /// The raw page payload of `leaf` (`PageCodec.leafPayload`), the input of LZ4 in a checkpoint.
    public static func leafPayload(_ leaf: OpaqueLeaf) -> [UInt8] {
        PageCodec.leafPayload(leaf.node)
    }

    /// `leaf` as a stored page (`PageCodec.frame`), LZ4-compressed when `compress` and it pays.
    public static func leafPage(_ leaf: OpaqueLeaf, compress: Bool) -> [UInt8] {
        PageCodec.frame(
            kind: .leaf, treeID: 1, level: 0, entryCount: leaf.count, payload: PageCodec.leafPayload(leaf.node),
            compress: compress)
    }

    // MARK: Operations

    /// Binary search of `key` in `leaf` (`LeafNode.search`): its index if present, otherwise
    /// `-(insertion index) - 1`.
    public static func search(_ leaf: OpaqueLeaf, key: [UInt8]) -> Int {
        let (index, found) = key.withUnsafeBytes { leaf.node.search($0) }
        return found ? index : -index - 1
    }

    /// Copies `leaf` the way the writer does before changing a clean leaf (`LeafNode.copy`).
    /// Returns the copy's entry count.
    public static func copyLeaf(_ leaf: OpaqueLeaf) -> Int {
        leaf.node.copy().count
    }

    /// Copies `leaf`, then finds where `key` goes and inserts it with `value` (`LeafNode.copy`,
    /// `search`, `insert`): a writer's put into a clean leaf. Returns the copy's entry count.
    public static func insertIntoCopy(_ leaf: OpaqueLeaf, key: [UInt8], value: [UInt8]) -> Int {
        let copy = leaf.node.copy()
        key.withUnsafeBytes { k in
            let (index, _) = copy.search(k)
            value.withUnsafeBytes { v in copy.insert(at: index, key: k, value: v) }
        }
        return copy.count
    }

    /// The child of `branch` whose range holds `key` (`BranchNode.childIndex`).
    public static func childIndex(_ branch: OpaqueBranch, key: [UInt8]) -> Int {
        key.withUnsafeBytes { branch.node.childIndex(for: $0) }
    }

    /// Encodes `operations` as one WAL commit frame (`LogFrame.encode`).
    public static func encodeFrame(_ operations: OpaqueOperations, sequence: UInt64) -> [UInt8] {
        LogFrame.encode(sequence: sequence, operations: operations.operations)
    }

    /// Parses and checks the WAL frame at the start of `bytes` (`LogFrame.parse`). Returns its
    /// operation count, or −1 if it is not a whole valid frame.
    public static func parseFrame(_ bytes: [UInt8]) -> Int {
        if case .frame(_, let operations, _) = LogFrame.parse(bytes, at: 0) { return operations.operationCount }
        return -1
    }

    /// The XXH3-64 checksum of `bytes` (`Checksum.xxh3`).
    public static func xxh3(_ bytes: [UInt8]) -> UInt64 {
        Checksum.xxh3(bytes)
    }

    /// `bytes` as one LZ4 block (`LZ4.compress`).
    public static func lz4Compress(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { LZ4.compress($0) }
    }

    /// An LZ4 block expanded to exactly `decompressedCount` bytes (`LZ4.decompress`), or `nil`.
    public static func lz4Decompress(_ block: [UInt8], decompressedCount: Int) -> [UInt8]? {
        block.withUnsafeBytes { LZ4.decompress($0, decompressedCount: decompressedCount) }
    }

    /// Unframes a stored leaf page and decodes it (`PageCodec.unframe`, then
    /// `PageCodec.decodeLeaf`), as a cache miss does. Returns the entry count, or −1.
    public static func decodeLeafPage(_ page: [UInt8]) -> Int {
        guard let (header, payload) = try? PageCodec.unframe(page),
            let leaf = try? PageCodec.decodeLeaf(header, payload: payload, largeValueThreshold: 1024)
        else { return -1 }
        return leaf.count
    }
}
