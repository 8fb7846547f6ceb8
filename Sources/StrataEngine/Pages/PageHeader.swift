/// The fixed 24-byte header in front of every stored page. All integers little-endian.
///
/// ```
/// 0   u8   kind          1 leaf, 2 branch, 3 blob, 4 catalog
/// 1   u8   flags         bit 0: payload is LZ4-compressed
/// 2   u16  version       page format version (1)
/// 4   u32  tree id       owning tree (0 for the catalog)
/// 8   u32  stored length payload bytes that follow the header
/// 12  u32  raw length    payload bytes after decompression
/// 16  u16  level         0 for leaves and blobs, height above the leaves for branches
/// 18  u16  reserved      0
/// 20  u32  entry count   leaf entries, branch children, 1 for a blob
/// ```
struct PageHeader: Sendable, Equatable {
    var kind: PageKind
    var compressed: Bool
    var version: UInt16
    var treeID: UInt32
    var storedLength: UInt32
    var rawLength: UInt32
    var level: UInt16
    var entryCount: UInt32

    static let size = 24
    static let currentVersion: UInt16 = 1

    func encode(into writer: inout ByteWriter) {
        writer.write(kind.rawValue)
        writer.write(compressed ? UInt8(1) : 0)
        writer.write(version)
        writer.write(treeID)
        writer.write(storedLength)
        writer.write(rawLength)
        writer.write(level)
        writer.write(UInt16(0))
        writer.write(entryCount)
    }

    static func decode(from reader: inout ByteReader) throws -> PageHeader {
        let kindByte = try reader.readUInt8()
        let flags = try reader.readUInt8()
        let version = try reader.readUInt16()
        let treeID = try reader.readUInt32()
        let stored = try reader.readUInt32()
        let raw = try reader.readUInt32()
        let level = try reader.readUInt16()
        _ = try reader.readUInt16()
        let count = try reader.readUInt32()
        guard let kind = PageKind(rawValue: kindByte), flags & ~1 == 0 else { throw ByteReader.OutOfBounds(offset: 0) }
        return PageHeader(
            kind: kind, compressed: flags & 1 != 0, version: version, treeID: treeID,
            storedLength: stored, rawLength: raw, level: level, entryCount: count)
    }
}
