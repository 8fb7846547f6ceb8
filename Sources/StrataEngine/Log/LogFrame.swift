/// The framing of one commit in a WAL file. All integers little-endian.
///
/// ```
/// 0        u32  magic 0x4C415753 ("SWAL")
/// 4        u32  body length L
/// 8        u8   kind (1 = commit)
/// 9        u8   flags (0)
/// 10       u16  version (1)
/// 12       u64  sequence number
/// 20       L    body: u32 operation count, then the operations
/// 20+L     u64  XXH3-64 of bytes 0 ..< 20+L
/// ```
enum LogFrame {
    static let magic: UInt32 = 0x4C41_5753
    static let headerSize = 20
    static let trailerSize = 8
    static let kindCommit: UInt8 = 1
    static let version: UInt16 = 1
    /// The largest body written or read: ``Limits/maxBatchBytes`` (a transaction refuses the
    /// write that would cross it; on reading, a longer body is damage).
    static let maxBodyLength = Limits.maxBatchBytes

    /// The 16-byte header at the start of every WAL file: "STRTWAL1" and the file id.
    static let fileMagic: [UInt8] = Array("STRTWAL1".utf8)
    static let fileHeaderSize = 16

    static func fileHeader(id: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: fileHeaderSize)
        writer.write(bytes: fileMagic)
        writer.write(id)
        return writer.bytes
    }

    /// Encodes one commit's frame (the same bytes a transaction's ``EncodedOperations`` seal).
    static func encode(sequence: UInt64, operations: [Operation]) -> [UInt8] {
        var encoded = EncodedOperations()
        for operation in operations { encoded.append(operation) }
        return encoded.sealFrame(sequence: sequence)
    }

    enum ParseResult {
        case frame(sequence: UInt64, operations: FrameOperations, size: Int)
        /// Not enough bytes for a whole frame.
        case truncated
        /// The bytes are not a valid frame.
        case invalid
    }

    /// Parses the frame at `offset` of `bytes`.
    static func parse(_ bytes: [UInt8], at offset: Int) -> ParseResult {
        var reader = ByteReader(bytes, offset: offset)
        guard reader.remaining >= headerSize + trailerSize else { return .truncated }
        do {
            guard try reader.readUInt32() == magic else { return .invalid }
            let length = Int(try reader.readUInt32())
            let kind = try reader.readUInt8()
            let flags = try reader.readUInt8()
            let version = try reader.readUInt16()
            let sequence = try reader.readUInt64()
            guard kind == kindCommit, flags == 0, version == LogFrame.version, length >= 4, length <= maxBodyLength
            else { return .invalid }
            guard reader.remaining >= length + trailerSize else { return .truncated }
            let end = offset + headerSize + length
            var trailer = ByteReader(bytes, offset: end)
            let stored = try trailer.readUInt64()
            let computed = bytes.withUnsafeBytes { Checksum.xxh3(UnsafeRawBufferPointer(rebasing: $0[offset..<end])) }
            guard stored == computed else { return .invalid }
            var body = ByteReader(bytes, offset: offset + headerSize, end: end)
            let count = Int(try body.readUInt32())
            guard count <= length, count <= Limits.maxOperationsPerBatch else { return .invalid }
            // Every operation must decode and the last must end the body; checked in place,
            // without copying any key or value.
            let operations = FrameOperations(bytes: bytes, body: body.offset..<end, count: count)
            guard operations.isWellFormed else { return .invalid }
            return .frame(sequence: sequence, operations: operations, size: headerSize + length + trailerSize)
        } catch {
            return .invalid
        }
    }
}

/// The operations of one parsed WAL frame, read in place from the bytes they were parsed from.
struct FrameOperations: OperationSequence {
    let bytes: [UInt8]
    /// Where the operations are in `bytes` (after the count, before the checksum).
    let body: Range<Int>
    let count: Int

    var operationCount: Int { count }

    /// Whether exactly `count` operations decode and end where the body ends.
    var isWellFormed: Bool {
        bytes.withUnsafeBytes { raw in
            let body = UnsafeRawBufferPointer(rebasing: raw[self.body])
            var offset = 0
            for _ in 0..<count {
                guard (try? BorrowedOperation.decode(body, at: &offset)) != nil else { return false }
            }
            return offset == body.count
        }
    }

    /// Lends each operation in turn. Call only on frames ``isWellFormed`` accepted.
    func forEachOperation(_ visit: (BorrowedOperation) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            let body = UnsafeRawBufferPointer(rebasing: raw[self.body])
            var offset = 0
            for _ in 0..<count { try visit(try BorrowedOperation.decode(body, at: &offset)) }
        }
    }

    /// Owned copies of the operations.
    var decoded: [Operation] {
        var operations: [Operation] = []
        operations.reserveCapacity(count)
        try? forEachOperation { operations.append(Operation($0)) }
        return operations
    }
}
