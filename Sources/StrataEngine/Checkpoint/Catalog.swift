/// One tree as a checkpoint records it.
struct TreeRecord: Sendable, Equatable {
    var id: UInt32
    var name: String
    var count: UInt64
    var root: PageAddress?
    var settings = TreeSettings.default
    var owner: String? = nil
}

/// What a checkpoint writes after the tree pages: every tree's root and count, and every
/// segment's length and live bytes. Stored as a catalog page (kind 4, never compressed).
///
/// Payload, all integers little-endian:
/// ```
/// u32 nextTreeID
/// u32 tree count;    per tree:    u32 id, u64 count, u8 hasRoot, [20-byte root], u16 nameLength, name,
///                                 format 2 on: u32 largeValueThreshold (0: configuration's),
///                                 u8 compression (0: configuration's, 1 on, 2 off),
///                                 u8 ownerLength (0: no owner), owner
/// u32 segment count; per segment: u32 id, u64 length, u64 liveBytes
/// ```
/// The superblock's format version says which encoding its catalog has: format 1 catalogs
/// (written before per-tree settings) have no settings or owner and decode as default, unowned.
struct Catalog: Sendable, Equatable {
    var nextTreeID: UInt32
    var trees: [TreeRecord]
    var segments: [SegmentInfo]

    static let empty = Catalog(nextTreeID: 1, trees: [], segments: [])

    func encode(formatVersion: UInt32 = Superblock.currentFormatVersion) -> [UInt8] {
        var writer = ByteWriter(capacity: 64 + trees.count * 48 + segments.count * 20)
        writer.write(nextTreeID)
        writer.write(UInt32(trees.count))
        for tree in trees {
            writer.write(tree.id)
            writer.write(tree.count)
            if let root = tree.root {
                writer.write(UInt8(1))
                root.encode(into: &writer)
            } else {
                writer.write(UInt8(0))
            }
            let name = Array(tree.name.utf8)
            writer.write(UInt16(name.count))
            writer.write(bytes: name)
            if formatVersion >= 2 { Catalog.encodeSettings(of: tree, into: &writer) }
        }
        writer.write(UInt32(segments.count))
        for segment in segments {
            writer.write(segment.id)
            writer.write(segment.length)
            writer.write(segment.liveBytes)
        }
        return writer.bytes
    }

    static func decode(_ payload: [UInt8], formatVersion: UInt32 = Superblock.currentFormatVersion) throws -> Catalog {
        var reader = ByteReader(payload)
        let nextTreeID = try reader.readUInt32()
        let treeCount = try reader.readUInt32()
        guard Int(treeCount) <= reader.remaining / 15 else { throw ByteReader.OutOfBounds(offset: 0) }
        var trees: [TreeRecord] = []
        for _ in 0..<treeCount {
            let id = try reader.readUInt32()
            let count = try reader.readUInt64()
            let hasRoot = try reader.readUInt8()
            // Counts and lengths are used as Int (and incremented): larger ones are corruption.
            guard hasRoot <= 1, count <= UInt64(Int64.max) else { throw ByteReader.OutOfBounds(offset: 0) }
            let root = hasRoot == 1 ? try PageAddress.decode(from: &reader) : nil
            let nameLength = Int(try reader.readUInt16())
            guard let name = String(validating: try reader.readBytes(count: nameLength), as: UTF8.self) else {
                throw ByteReader.OutOfBounds(offset: 0)
            }
            var record = TreeRecord(id: id, name: name, count: count, root: root)
            if formatVersion >= 2 { try Catalog.decodeSettings(into: &record, from: &reader) }
            trees.append(record)
        }
        let segmentCount = try reader.readUInt32()
        guard Int(segmentCount) <= reader.remaining / 20 else { throw ByteReader.OutOfBounds(offset: 0) }
        var segments: [SegmentInfo] = []
        for _ in 0..<segmentCount {
            let info = SegmentInfo(id: try reader.readUInt32(), length: try reader.readUInt64(), liveBytes: try reader.readUInt64())
            guard info.length <= UInt64(Int64.max), info.liveBytes <= UInt64(Int64.max) else {
                throw ByteReader.OutOfBounds(offset: 0)
            }
            segments.append(info)
        }
        guard reader.isAtEnd else { throw ByteReader.OutOfBounds(offset: 0) }
        return Catalog(nextTreeID: nextTreeID, trees: trees, segments: segments)
    }

    private static func encodeSettings(of tree: TreeRecord, into writer: inout ByteWriter) {
        writer.write(UInt32(tree.settings.largeValueThreshold ?? 0))
        writer.write(tree.settings.compression.map { $0 ? UInt8(1) : 2 } ?? 0)
        let owner = Array((tree.owner ?? "").utf8)
        writer.write(UInt8(owner.count))
        writer.write(bytes: owner)
    }

    private static func decodeSettings(into record: inout TreeRecord, from reader: inout ByteReader) throws {
        let threshold = try reader.readUInt32()
        let compression = try reader.readUInt8()
        guard threshold == 0 || (64...UInt32(Limits.maxValueLength)).contains(threshold), compression <= 2 else {
            throw ByteReader.OutOfBounds(offset: 0)
        }
        record.settings = TreeSettings(
            largeValueThreshold: threshold == 0 ? nil : Int(threshold),
            compression: compression == 0 ? nil : compression == 1)
        let ownerLength = Int(try reader.readUInt8())
        if ownerLength > 0 {
            guard let owner = String(validating: try reader.readBytes(count: ownerLength), as: UTF8.self) else {
                throw ByteReader.OutOfBounds(offset: 0)
            }
            record.owner = owner
        }
    }
}
