#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// Reads what ``RecordWriter`` wrote; every malformed byte is a `corruption` error naming the
/// record, never a trap.
struct RecordReader {
    private let bytes: [UInt8]
    private var offset = 0
    /// What is being read, for error messages ("node m00000017"): formatted only when an error
    /// is thrown, not for every record read.
    private let context: () -> String

    init(_ bytes: [UInt8], context: @escaping @autoclosure () -> String) {
        self.bytes = bytes
        self.context = context
    }

    init(_ bytes: [UInt8], context: @escaping () -> String) {
        self.bytes = bytes
        self.context = context
    }

    var isAtEnd: Bool { offset == bytes.count }

    func failure(_ what: String) -> StrataError {
        GraphError.corruption("\(context()): \(what) at byte \(offset) of \(bytes.count)")
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw failure("truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64, shift < 63 || next <= 1 else { throw failure("varint overflows 64 bits") }
            result |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    mutating func count(limit: Int) throws -> Int {
        let value = try varint()
        // Every counted item takes at least one byte, so a count past the bytes left is damage.
        guard value <= UInt64(min(limit, bytes.count - offset)) else {
            throw failure("length \(value) out of range")
        }
        return Int(value)
    }

    mutating func signed() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func double() throws -> Double {
        guard bytes.count - offset >= 8 else { throw failure("truncated double") }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
        offset += 8
        return Double(bitPattern: bits)
    }

    mutating func rawBytes() throws -> [UInt8] {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw failure("length \(length) past the end") }
        defer { offset += Int(length) }
        return Array(bytes[offset..<offset + Int(length)])
    }

    mutating func string() throws -> String {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else { throw failure("length \(length) past the end") }
        let end = offset + Int(length)
        let text = bytes.withUnsafeBufferPointer { UTF8Text.string(UnsafeBufferPointer(rebasing: $0[offset..<end])) }
        guard let text else { throw failure("a string that is not UTF-8") }
        offset = end
        return text
    }

    mutating func date() throws -> Date {
        Timestamp.date(try signed())
    }

    mutating func optional<T>(_ read: (inout RecordReader) throws -> T) throws -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        case let flag: throw failure("optional flag \(flag)")
        }
    }

    mutating func id() throws -> NodeID {
        switch try byte() {
        case 0:
            guard bytes.count - offset >= 16 else { throw failure("truncated uuid") }
            let o = offset
            offset += 16
            let b = bytes
            return .uuid(UUID(uuid: (b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7],
                                     b[o + 8], b[o + 9], b[o + 10], b[o + 11], b[o + 12], b[o + 13], b[o + 14], b[o + 15])))
        case 1:
            return .name(try string())
        case let form:
            throw failure("id form \(form)")
        }
    }

    /// Throws unless every byte was read.
    func finish() throws {
        guard isAtEnd else { throw failure("\(bytes.count - offset) trailing bytes") }
    }
}
