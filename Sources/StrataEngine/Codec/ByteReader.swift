/// Decodes little-endian integers and bytes from a byte array, checking every bound.
///
/// `readX()` consumes from ``offset``; `peekX(at:)` looks at an absolute position without
/// moving. Every call that would run past the end throws ``OutOfBounds`` instead of trapping, so
/// hostile input is safe; callers turn that into a corruption error naming the file and offset.
struct ByteReader {
    /// Thrown when a read would run past the end of the bytes or a varint is malformed.
    struct OutOfBounds: Error, Equatable {
        /// Where the failed read started.
        var offset: Int
    }

    /// The bytes being decoded.
    let bytes: [UInt8]
    /// The position of the next `readX()` call.
    var offset: Int
    /// Reads stop here: the bytes from `end` on are out of bounds.
    let end: Int

    /// Creates a reader over `bytes[offset..<end]` (`end` defaults to the whole array).
    init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = min(end ?? bytes.count, bytes.count)
    }

    /// Creates a reader over a copy of `buffer`.
    init(_ buffer: UnsafeRawBufferPointer) {
        self.init([UInt8](buffer))
    }

    /// The number of bytes after ``offset``.
    var remainingCount: Int { max(0, end - offset) }

    /// The number of bytes after ``offset`` (alias used by decoders).
    var remaining: Int { remainingCount }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset >= end }

    /// Reads a varint that is a length no greater than `limit`.
    mutating func readLength(limit: Int) throws(OutOfBounds) -> Int {
        let start = offset
        let value = try readVarint()
        guard value <= UInt64(limit) else { throw OutOfBounds(offset: start) }
        return Int(value)
    }

    mutating func readUInt8() throws(OutOfBounds) -> UInt8 {
        let value = try peekUInt8(at: offset)
        offset += 1
        return value
    }

    mutating func readUInt16() throws(OutOfBounds) -> UInt16 {
        try readLittleEndian()
    }

    mutating func readUInt32() throws(OutOfBounds) -> UInt32 {
        try readLittleEndian()
    }

    mutating func readUInt64() throws(OutOfBounds) -> UInt64 {
        try readLittleEndian()
    }

    /// Reads a LEB128 varint written by ``ByteWriter/writeVarint(_:)``. Rejects one longer
    /// than 10 bytes, one whose value does not fit in 64 bits, and one cut off by the end.
    mutating func readVarint() throws(OutOfBounds) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while true {
            guard index < end, index - start < 10 else { throw OutOfBounds(offset: start) }
            let byte = bytes[index]
            index += 1
            let payload = UInt64(byte & 0x7F)
            // The tenth byte holds only the top bit of a 64-bit value.
            if shift == 63 && payload > 1 { throw OutOfBounds(offset: start) }
            value |= payload << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        offset = index
        return value
    }

    /// Reads `count` bytes as a slice of the underlying array (no copy).
    mutating func readBytes(count: Int) throws(OutOfBounds) -> ArraySlice<UInt8> {
        try checkRange(at: offset, count: count)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Moves ``offset`` forward by `count` bytes.
    mutating func skip(_ count: Int) throws(OutOfBounds) {
        try checkRange(at: offset, count: count)
        offset += count
    }

    func peekUInt8(at position: Int) throws(OutOfBounds) -> UInt8 {
        try checkRange(at: position, count: 1)
        return bytes[position]
    }

    func peekUInt16(at position: Int) throws(OutOfBounds) -> UInt16 {
        try peekLittleEndian(at: position)
    }

    func peekUInt32(at position: Int) throws(OutOfBounds) -> UInt32 {
        try peekLittleEndian(at: position)
    }

    func peekUInt64(at position: Int) throws(OutOfBounds) -> UInt64 {
        try peekLittleEndian(at: position)
    }

    private mutating func readLittleEndian<T: FixedWidthInteger>() throws(OutOfBounds) -> T {
        let value: T = try peekLittleEndian(at: offset)
        offset += MemoryLayout<T>.size
        return value
    }

    private func peekLittleEndian<T: FixedWidthInteger>(at position: Int) throws(OutOfBounds) -> T {
        try checkRange(at: position, count: MemoryLayout<T>.size)
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: T.self)) }
    }

    /// Written so that no arithmetic can overflow, whatever `position` and `count` are.
    private func checkRange(at position: Int, count: Int) throws(OutOfBounds) {
        guard position >= 0, count >= 0, position <= end, count <= end - position else {
            throw OutOfBounds(offset: position)
        }
    }
}
