/// Where a page (or an out-of-line value) lives: segment, offset and stored length, plus the
/// XXH3-64 checksum of its stored bytes. A parent keeps this for each child, so every read is
/// checked against a checksum recorded by whoever pointed at it.
struct PageAddress: Hashable, Sendable {
    var segment: UInt32
    var offset: UInt32
    var length: UInt32
    var checksum: UInt64

    /// Bytes this address takes when encoded.
    static let encodedSize = 20

    /// A key unique for the lifetime of the database: segment ids are never reused.
    var cacheKey: UInt64 { UInt64(segment) << 32 | UInt64(offset) }

    func encode(into writer: inout ByteWriter) {
        writer.write(segment)
        writer.write(offset)
        writer.write(length)
        writer.write(checksum)
    }

    static func decode(from reader: inout ByteReader) throws -> PageAddress {
        PageAddress(
            segment: try reader.readUInt32(), offset: try reader.readUInt32(),
            length: try reader.readUInt32(), checksum: try reader.readUInt64())
    }
}
