import StrataEngine

/// One HNSW graph: a (namespace, embedding space) pair, and the keys of its rows in `graph.hnsw`
/// (FORMAT.md, "HNSW rows"). Every key is the tuple `(namespace, space)` followed by a tag byte
/// and, for per-node rows, the slot as 4 big-endian bytes (so rows sort by slot).
struct VectorGraphKey: Hashable, Sendable {
    let namespace: String
    let space: String
    /// `TupleKey(namespace, space).bytes`, the prefix of every row of the graph.
    let prefix: [UInt8]

    init(namespace: String, space: String) {
        self.namespace = namespace
        self.space = space
        self.prefix = TupleKey(namespace, space).bytes
    }

    enum Tag: UInt8 {
        /// → the graph's header (``HNSWHeader``).
        case header = 0
        /// + the id's tuple bytes → the live slot of that id (4 bytes, big-endian).
        case slotOfID = 1
        /// + slot → the node: level, tombstone epoch, id (``HNSWNodeRow``).
        case node = 2
        /// + slot + level byte → the neighbour slots at that level (4 bytes each, little-endian).
        case neighbours = 3
        /// + slot → a tombstone awaiting repair: the deleted vector (little-endian Float32s).
        case tombstone = 4
        /// + slot → empty: a slot free for reuse.
        case free = 5
        /// → the progress of the running repair pass (``HNSWRepairProgress``).
        case repair = 6
    }

    var headerKey: [UInt8] { prefix + [Tag.header.rawValue] }
    var repairKey: [UInt8] { prefix + [Tag.repair.rawValue] }

    func slotKey(of id: NodeID) -> [UInt8] { prefix + [Tag.slotOfID.rawValue] + TupleKey(id).bytes }

    func key(_ tag: Tag, slot: UInt32) -> [UInt8] {
        var key = prefix
        key.reserveCapacity(prefix.count + 6)
        key.append(tag.rawValue)
        Self.appendSlot(slot, to: &key)
        return key
    }

    func neighboursKey(slot: UInt32, level: Int) -> [UInt8] {
        var key = self.key(.neighbours, slot: slot)
        key.append(UInt8(level))
        return key
    }

    /// The prefix of every row with `tag`.
    func tagPrefix(_ tag: Tag) -> [UInt8] { prefix + [tag.rawValue] }

    /// The slot in a per-node row's key of `tag`.
    func slot(inKey key: [UInt8]) throws -> UInt32 {
        let start = prefix.count + 1
        guard key.count >= start + 4 else { throw GraphError.corruption("HNSW row key \(key) is too short") }
        return Self.readSlot(key, at: start)
    }

    static func appendSlot(_ slot: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: slot >> 24))
        bytes.append(UInt8(truncatingIfNeeded: slot >> 16))
        bytes.append(UInt8(truncatingIfNeeded: slot >> 8))
        bytes.append(UInt8(truncatingIfNeeded: slot))
    }

    static func readSlot(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// The graph whose rows start `key` (the tuple's two strings), or nil for a key that is not one.
    static func graph(ofRowKey key: [UInt8]) -> VectorGraphKey? {
        // Two strings, each ending with the first zero byte after its type code.
        var zeros = 0
        var end = 0
        while end < key.count {
            if key[end] == 0 { zeros += 1 }
            end += 1
            if zeros == 2 { break }
        }
        guard zeros == 2, let tuple = try? TupleKey(decoding: key[0..<end]), tuple.count == 2,
            let namespace: String = try? tuple.value(at: 0), let space: String = try? tuple.value(at: 1)
        else { return nil }
        return VectorGraphKey(namespace: namespace, space: space)
    }
}
