/// Encodes integers and bytes, little-endian, into a growing byte array.
///
/// ```swift
/// var writer = ByteWriter()
/// writer.write(UInt32(7))
/// writer.writeVarint(300)
/// writer.write(bytes: key)
/// ```
struct ByteWriter {
    /// The bytes written so far.
    var bytes: [UInt8]

    /// Creates an empty writer, reserving room for `capacity` bytes.
    init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes written so far.
    var count: Int { bytes.count }

    mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func write(_ value: UInt16) {
        writeLittleEndian(value)
    }

    mutating func write(_ value: UInt32) {
        writeLittleEndian(value)
    }

    mutating func write(_ value: UInt64) {
        writeLittleEndian(value)
    }

    /// Writes `value` as a LEB128 varint: 7 bits per byte, low bits first, at most 10 bytes.
    @inline(__always)
    mutating func writeVarint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// Appends `source` unchanged.
    mutating func write(bytes source: some Collection<UInt8>) {
        bytes.append(contentsOf: source)
    }

    /// Appends the bytes in `source` unchanged.
    mutating func write(bytes source: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: source)
    }

    /// Overwrites 4 bytes already written at `offset` (for lengths and checksums known only
    /// after the data they cover). `offset + 4` past the end is a programmer error and traps.
    mutating func set(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= bytes.count, "ByteWriter.set out of range")
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }

    /// Overwrites 8 bytes already written at `offset`. Out of range is a programmer error.
    mutating func set(_ value: UInt64, at offset: Int) {
        precondition(offset >= 0 && offset + 8 <= bytes.count, "ByteWriter.set out of range")
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
    }

    private mutating func writeLittleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// The number of bytes ``ByteWriter/writeVarint(_:)`` takes for `value`.
@inline(__always)
func varintLength(_ value: UInt64) -> Int {
    var v = value
    var n = 1
    while v >= 0x80 {
        v >>= 7
        n += 1
    }
    return n
}
