#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The type codes of tuple key elements (FORMAT.md, "Key tuples"): FoundationDB's, plus
/// `timestamp` in the range FoundationDB leaves to applications.
enum TupleKeyCode {
    static let null: UInt8 = 0x00
    static let bytes: UInt8 = 0x01
    static let string: UInt8 = 0x02
    static let nested: UInt8 = 0x05
    /// Zero; a positive integer of `n` bytes is `zero + n`, a negative one `zero - n`.
    static let integerZero: UInt8 = 0x14
    static let double: UInt8 = 0x21
    static let `false`: UInt8 = 0x26
    static let `true`: UInt8 = 0x27
    static let uuid: UInt8 = 0x30
    static let timestamp: UInt8 = 0x40
    /// Inside a byte string or string, bytes 0x00 and 0x01 are written as 0x01 0x01 and
    /// 0x01 0x02, so that no zero byte occurs before the 0x00 that ends the element.
    static let escape: UInt8 = 0x01
    /// Inside a nested tuple, nil is 0x00 0xFF, and 0x00 0x00 ends the tuple.
    static let nestedNull: UInt8 = 0xFF
}

/// Appends tuple key elements to a byte buffer.
struct TupleKeyEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ element: TupleKey.Element, nested: Bool) {
        switch element {
        case .null:
            bytes.append(TupleKeyCode.null)
            if nested { bytes.append(TupleKeyCode.nestedNull) }
        case .bytes(let value):
            appendEscaped(code: TupleKeyCode.bytes, value)
        case .string(let value):
            appendEscaped(code: TupleKeyCode.string, value.utf8)
        case .tuple(let elements):
            bytes.append(TupleKeyCode.nested)
            for inner in elements { append(inner, nested: true) }
            bytes.append(contentsOf: [0x00, 0x00])
        case .integer(let value):
            if value < 0 {
                appendNegative(magnitude: value.magnitude)
            } else {
                appendPositive(UInt64(value))
            }
        case .unsignedInteger(let value):
            appendPositive(value)
        case .double(let value):
            let bits = value.bitPattern
            appendBigEndian(code: TupleKeyCode.double, bits & (1 << 63) != 0 ? ~bits : bits ^ (1 << 63))
        case .bool(let value):
            bytes.append(value ? TupleKeyCode.true : TupleKeyCode.false)
        case .uuid(let value):
            bytes.append(TupleKeyCode.uuid)
            withUnsafeBytes(of: value.uuid) { bytes.append(contentsOf: $0) }
        case .timestamp(let nanoseconds):
            appendBigEndian(code: TupleKeyCode.timestamp, UInt64(bitPattern: nanoseconds) ^ (1 << 63))
        }
    }

    private mutating func appendEscaped(code: UInt8, _ value: some Sequence<UInt8>) {
        bytes.append(code)
        for byte in value {
            if byte <= TupleKeyCode.escape {
                bytes.append(TupleKeyCode.escape)
                bytes.append(byte + 1)
            } else {
                bytes.append(byte)
            }
        }
        bytes.append(0x00)
    }

    /// The shortest big-endian form, after a code giving its length: longer is larger.
    private mutating func appendPositive(_ value: UInt64) {
        let length = Self.byteCount(value)
        bytes.append(TupleKeyCode.integerZero + UInt8(length))
        appendLow(value, length: length)
    }

    /// The ones' complement of the magnitude in as many bytes as the magnitude needs, after a
    /// code below zero's: a longer magnitude has a smaller code, a larger one smaller bytes.
    private mutating func appendNegative(magnitude: UInt64) {
        let length = Self.byteCount(magnitude)
        bytes.append(TupleKeyCode.integerZero - UInt8(length))
        appendLow(~magnitude, length: length)
    }

    private mutating func appendBigEndian(code: UInt8, _ value: UInt64) {
        bytes.append(code)
        appendLow(value, length: 8)
    }

    /// The low `length` bytes of `value`, most significant first.
    private mutating func appendLow(_ value: UInt64, length: Int) {
        for shift in stride(from: (length - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    static func byteCount(_ value: UInt64) -> Int {
        (64 - value.leadingZeroBitCount + 7) / 8
    }
}
