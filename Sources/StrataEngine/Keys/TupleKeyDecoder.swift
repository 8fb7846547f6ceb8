#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads tuple key elements back from bytes, rejecting anything the encoder would not have
/// written (so that every accepted key has exactly one encoding and decodes to one tuple).
struct TupleKeyDecoder {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Where the next element starts.
    var position: Int { offset }

    /// The element at ``position`` (a top-level one), moving past it.
    mutating func decodeNext() throws -> TupleKey.Element {
        try decodeElement(depth: 0, nested: false)
    }

    mutating func decodeAll() throws -> [TupleKey.Element] {
        var elements: [TupleKey.Element] = []
        while offset < bytes.count { elements.append(try decodeElement(depth: 0, nested: false)) }
        return elements
    }

    private mutating func decodeElement(depth: Int, nested: Bool) throws -> TupleKey.Element {
        let start = offset
        let code = bytes[offset]
        offset += 1
        switch code {
        case TupleKeyCode.null:
            if nested { try expectEscape(at: start) }
            return .null
        case TupleKeyCode.bytes:
            return .bytes(try readEscaped(from: start))
        case TupleKeyCode.string:
            let utf8 = try readEscaped(from: start)
            // ASCII is UTF-8 as it stands: skip the (much slower) general validator.
            if utf8.allSatisfy({ $0 < 0x80 }) { return .string(String(decoding: utf8, as: UTF8.self)) }
            guard let string = String(validating: utf8, as: UTF8.self) else {
                throw malformed("a string that is not valid UTF-8", at: start)
            }
            return .string(string)
        case TupleKeyCode.nested:
            guard depth < TupleKey.maxNestingDepth else {
                throw malformed("tuples nested deeper than \(TupleKey.maxNestingDepth)", at: start)
            }
            var elements: [TupleKey.Element] = []
            while true {
                guard offset < bytes.count else { throw malformed("a nested tuple without its end", at: start) }
                if bytes[offset] == 0x00, offset + 1 < bytes.count, bytes[offset + 1] == 0x00 {
                    offset += 2
                    return .tuple(elements)
                }
                elements.append(try decodeElement(depth: depth + 1, nested: true))
            }
        case TupleKeyCode.integerZero - 8...TupleKeyCode.integerZero + 8:
            return try readInteger(code: code, from: start)
        case TupleKeyCode.double:
            let bits = try readUInt64(from: start)
            return .double(Double(bitPattern: bits & (1 << 63) != 0 ? bits ^ (1 << 63) : ~bits))
        case TupleKeyCode.false:
            return .bool(false)
        case TupleKeyCode.true:
            return .bool(true)
        case TupleKeyCode.uuid:
            guard bytes.count - offset >= 16 else { throw malformed("a truncated UUID", at: start) }
            var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &uuid) { $0.copyBytes(from: bytes[offset..<offset + 16]) }
            offset += 16
            return .uuid(UUID(uuid: uuid))
        case TupleKeyCode.timestamp:
            return .timestamp(nanosecondsSince1970: Int64(bitPattern: try readUInt64(from: start) ^ (1 << 63)))
        default:
            throw malformed("unknown type code 0x\(String(code, radix: 16))", at: start)
        }
    }

    private mutating func expectEscape(at start: Int) throws {
        guard offset < bytes.count, bytes[offset] == TupleKeyCode.nestedNull else {
            throw malformed("a zero byte inside a nested tuple that is neither its end nor a nil", at: start)
        }
        offset += 1
    }

    /// The bytes up to the unescaped zero that ends a byte string or string.
    private mutating func readEscaped(from start: Int) throws -> [UInt8] {
        // Most strings hold no escape: take them in one copy.
        if let end = bytes[offset...].firstIndex(where: { $0 <= TupleKeyCode.escape }), bytes[end] == 0x00 {
            defer { offset = end + 1 }
            return Array(bytes[offset..<end])
        }
        var value: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == 0x00 { return value }
            guard byte == TupleKeyCode.escape else {
                value.append(byte)
                continue
            }
            guard offset < bytes.count, bytes[offset] == 0x01 || bytes[offset] == 0x02 else {
                throw malformed("an escape byte 0x01 not followed by 0x01 or 0x02", at: offset - 1)
            }
            value.append(bytes[offset] - 1)
            offset += 1
        }
        throw malformed("a string or byte string without its terminating zero", at: start)
    }

    private mutating func readInteger(code: UInt8, from start: Int) throws -> TupleKey.Element {
        let negative = code < TupleKeyCode.integerZero
        let length = Int(negative ? TupleKeyCode.integerZero - code : code - TupleKeyCode.integerZero)
        guard bytes.count - offset >= length else { throw malformed("a truncated integer", at: start) }
        var raw: UInt64 = 0
        for byte in bytes[offset..<offset + length] { raw = raw << 8 | UInt64(byte) }
        offset += length
        let magnitude = negative ? ~raw & (length == 8 ? .max : (1 << UInt64(length * 8)) - 1) : raw
        // Canonical: the shortest form, so that each integer has one encoding.
        guard TupleKeyEncoder.byteCount(magnitude) == length else {
            throw malformed("an integer not in its shortest form", at: start)
        }
        guard negative else { return TupleKey.Element(integer: magnitude) }
        guard magnitude <= UInt64(Int64.max) + 1 else {
            throw malformed("a negative integer below Int64.min", at: start)
        }
        return .integer(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))
    }

    private mutating func readUInt64(from start: Int) throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw malformed("a truncated 8-byte value", at: start) }
        var value: UInt64 = 0
        for byte in bytes[offset..<offset + 8] { value = value << 8 | UInt64(byte) }
        offset += 8
        return value
    }

    private func malformed(_ what: String, at start: Int) -> StrataError {
        StrataError(.invalidArgument, "not a tuple key: \(what) at byte \(start)", offset: Int64(start))
    }
}
