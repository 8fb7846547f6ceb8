/// One of the two checkpoint slots in the `SUPERBLOCK` file. A checkpoint writes the slot its
/// epoch selects (`epoch % 2`) and fsyncs; open takes the valid slot with the higher epoch,
/// so a torn slot write falls back to the previous checkpoint.
///
/// Slot layout (128 bytes at offset `slot * 4096`), all integers little-endian:
/// ```
/// 0   8 bytes  magic "STRATASB"
/// 8   u32      format version
/// 12  u32      flags (0)
/// 16  u64      epoch           checkpoint number, 0 for a new database
/// 24  u64      sequence        last commit included in this checkpoint
/// 32  u64      WAL start       first WAL file id to replay
/// 40  u32      active segment  segment the next pages append to
/// 44  u32      next segment id
/// 48  u64      active end      durable length of the active segment
/// 56  u8       has catalog
/// 57  20 bytes catalog address (zero when absent)
/// 77  43 bytes reserved (0)
/// 120 u64      XXH3-64 of bytes 0..<120
/// ```
struct Superblock: Sendable, Equatable {
    var formatVersion: UInt32
    var epoch: UInt64
    var sequence: UInt64
    var walStart: UInt64
    var activeSegment: UInt32
    var nextSegment: UInt32
    var activeEnd: UInt64
    var catalog: PageAddress?

    static let magic: [UInt8] = Array("STRATASB".utf8)
    /// 2 since per-tree settings and owners (the catalog's encoding, FORMAT.md's version log).
    static let currentFormatVersion: UInt32 = 2
    static let slotSize = 4096
    static let encodedSize = 128

    func encode() -> [UInt8] {
        var writer = ByteWriter(capacity: Superblock.encodedSize)
        writer.write(bytes: Superblock.magic)
        writer.write(formatVersion)
        writer.write(UInt32(0))
        writer.write(epoch)
        writer.write(sequence)
        writer.write(walStart)
        writer.write(activeSegment)
        writer.write(nextSegment)
        writer.write(activeEnd)
        writer.write(catalog == nil ? UInt8(0) : 1)
        (catalog ?? ChildRef.none).encode(into: &writer)
        writer.write(bytes: [UInt8](repeating: 0, count: 120 - writer.count))
        writer.write(Checksum.xxh3(writer.bytes))
        return writer.bytes
    }

    enum DecodeResult {
        case valid(Superblock)
        /// A well-formed slot of a newer format this build cannot read.
        case newerVersion(UInt32)
        case invalid
    }

    static func decode(_ bytes: [UInt8]) -> DecodeResult {
        guard bytes.count >= encodedSize, Array(bytes[0..<8]) == magic else { return .invalid }
        var reader = ByteReader(bytes, offset: 120, end: 128)
        guard let stored = try? reader.readUInt64(), stored == Checksum.xxh3(bytes[0..<120]) else { return .invalid }
        reader = ByteReader(bytes, offset: 8, end: 120)
        do {
            let version = try reader.readUInt32()
            guard version <= currentFormatVersion, version >= 1 else { return .newerVersion(version) }
            _ = try reader.readUInt32()
            let epoch = try reader.readUInt64()
            let sequence = try reader.readUInt64()
            let walStart = try reader.readUInt64()
            let active = try reader.readUInt32()
            let next = try reader.readUInt32()
            let end = try reader.readUInt64()
            let hasCatalog = try reader.readUInt8()
            let catalog = try PageAddress.decode(from: &reader)
            // Epoch and sequence are incremented, and file ids are 8 decimal digits in format 1:
            // values no real database reaches would overflow or name files open cannot find.
            let maxFileID: UInt64 = 99_999_999
            guard epoch <= UInt64(Int64.max), sequence <= UInt64(Int64.max), walStart <= maxFileID,
                UInt64(active) <= maxFileID, UInt64(next) <= maxFileID
            else { return .invalid }
            return .valid(
                Superblock(
                    formatVersion: version, epoch: epoch, sequence: sequence, walStart: walStart,
                    activeSegment: active, nextSegment: next, activeEnd: end,
                    catalog: hasCatalog == 1 ? catalog : nil))
        } catch {
            return .invalid
        }
    }
}
