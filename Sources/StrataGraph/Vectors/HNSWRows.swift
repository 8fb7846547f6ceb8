import StrataEngine

/// The header row of one HNSW graph: its parameters (fixed when the graph is created), its entry
/// point and its counters (FORMAT.md, "HNSW rows").
struct HNSWHeader: Equatable, Sendable {
    static let formatVersion: UInt8 = 1

    var m: Int
    var efConstruction: Int
    var levelMultiplier: Double
    /// The entry point (always a live node), or nil when the graph has no live node.
    var entry: UInt32?
    /// The entry point's level (0 when there is none).
    var maxLevel: Int
    /// Slots ever used: every slot is below it (live, tombstoned or free).
    var slotCount: UInt32
    var live: Int
    var tombstones: Int
    var free: Int
    /// Raised at the start of each repair pass; a tombstone records the epoch it was made in.
    var repairEpoch: UInt64

    init(configuration: VectorIndexConfiguration) {
        m = configuration.m
        efConstruction = configuration.efConstruction
        levelMultiplier = configuration.levelMultiplier
        entry = nil
        maxLevel = 0
        slotCount = 0
        live = 0
        tombstones = 0
        free = 0
        repairEpoch = 0
    }

    /// Neighbours kept per node at `level`: 2·M on layer 0, M above.
    func maxNeighbours(at level: Int) -> Int { level == 0 ? 2 * m : m }

    func encode() -> [UInt8] {
        var writer = RecordWriter(capacity: 48)
        writer.byte(Self.formatVersion)
        writer.varint(UInt64(m))
        writer.varint(UInt64(efConstruction))
        writer.double(levelMultiplier)
        writer.varint(entry.map { UInt64($0) + 1 } ?? 0)
        writer.varint(UInt64(maxLevel))
        writer.varint(UInt64(slotCount))
        writer.varint(UInt64(live))
        writer.varint(UInt64(tombstones))
        writer.varint(UInt64(free))
        writer.varint(repairEpoch)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8], context: String) throws -> HNSWHeader {
        var reader = RecordReader(bytes, context: context)
        guard try reader.byte() == formatVersion else { throw reader.failure("HNSW header version") }
        var header = HNSWHeader(configuration: VectorIndexConfiguration())
        func number(_ limit: Int, _ what: String) throws -> Int {
            let value = try reader.varint()
            guard value <= UInt64(limit) else { throw reader.failure(what) }
            return Int(value)
        }
        header.m = try number(256, "M")
        header.efConstruction = try number(10_000, "efConstruction")
        header.levelMultiplier = try reader.double()
        let entry = try reader.varint()
        guard entry <= UInt64(UInt32.max) + 1 else { throw reader.failure("entry point") }
        header.entry = entry == 0 ? nil : UInt32(entry - 1)
        header.maxLevel = try number(GraphLimits.maxVectorLevel, "max level")
        let slots = try reader.varint()
        guard slots <= UInt64(UInt32.max) else { throw reader.failure("slot count") }
        header.slotCount = UInt32(slots)
        header.live = try number(Int(slots), "live count")
        header.tombstones = try number(Int(slots), "tombstones count")
        header.free = try number(Int(slots), "free count")
        header.repairEpoch = try reader.varint()
        try reader.finish()
        guard header.m >= 2, header.levelMultiplier.isFinite, header.levelMultiplier > 0 else {
            throw reader.failure("HNSW parameters")
        }
        return header
    }
}

/// The node row of one slot: its level, whether it is a tombstone (and since which repair epoch),
/// and, for a live node, the id whose vector it holds (a tombstone keeps no id: a forgotten node's
/// id leaves the store in its deleting transaction).
struct HNSWNodeRow: Equatable, Sendable {
    var level: Int
    /// nil for a live node; the header's repair epoch when it was deleted, for a tombstone.
    var tombstoneEpoch: UInt64?
    /// The id (nil exactly for a tombstone).
    var id: NodeID?

    func encode() -> [UInt8] {
        var writer = RecordWriter(capacity: 24)
        writer.byte(UInt8(level))
        writer.varint(tombstoneEpoch.map { $0 + 1 } ?? 0)
        if tombstoneEpoch == nil, let id { writer.id(id) }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8], context: String) throws -> HNSWNodeRow {
        var reader = RecordReader(bytes, context: context)
        let level = Int(try reader.byte())
        guard level <= GraphLimits.maxVectorLevel else { throw reader.failure("HNSW level") }
        let epoch = try reader.varint()
        let id = epoch == 0 ? try reader.id() : nil
        try reader.finish()
        return HNSWNodeRow(level: level, tombstoneEpoch: epoch == 0 ? nil : epoch - 1, id: id)
    }
}

/// Neighbour lists: 4 little-endian bytes per slot.
enum HNSWNeighbourCodec {
    static func encode(_ slots: [UInt32]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: slots.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (index, slot) in slots.enumerated() {
                raw.storeBytes(of: slot.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        return bytes
    }

    static func decode(_ raw: UnsafeRawBufferPointer, context: @autoclosure () -> String) throws -> [UInt32] {
        guard raw.count % 4 == 0, raw.count <= 4 * 512 else {
            throw GraphError.corruption("\(context()): a neighbour list of \(raw.count) bytes")
        }
        return (0..<raw.count / 4).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
    }
}

/// The level of a node, drawn from its id (the same on every replay and rebuild): a SplitMix64
/// finish of an FNV-1a hash of the id's key bytes, as a uniform u in (0, 1], gives
/// ⌊−ln(u) · multiplier⌋, capped at ``GraphLimits/maxVectorLevel``.
enum HNSWLevel {
    static func draw(for id: NodeID, multiplier: Double) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in TupleKey(id).bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        var z = hash &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z = z ^ (z >> 31)
        let unit = (Double(z >> 11) + 1) / Double(1 << 53)
        let level = Int(-naturalLog(unit) * multiplier)
        return min(max(level, 0), GraphLimits.maxVectorLevel)
    }

    /// ln(x) for x > 0, in portable arithmetic (the same bits on every platform, so a level
    /// never depends on the C library): x = m · 2^e, ln m = 2 atanh((m − 1)/(m + 1)).
    static func naturalLog(_ x: Double) -> Double {
        let exponent = Double(x.exponent)
        let mantissa = x.significand
        let t = (mantissa - 1) / (mantissa + 1)
        let t2 = t * t
        var term = t
        var sum = t
        for n in stride(from: 3.0, through: 41, by: 2) {
            term *= t2
            sum += term / n
        }
        return exponent * 0.693_147_180_559_945_3 + 2 * sum
    }
}
