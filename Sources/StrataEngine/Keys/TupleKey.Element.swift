#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension TupleKey {
    /// One typed part of a ``TupleKey``, as decoding returns it.
    public enum Element: Hashable, Sendable, CustomStringConvertible {
        /// Nothing (a `nil` optional).
        case null
        /// A byte string.
        case bytes([UInt8])
        /// A string, stored as UTF-8 and ordered by its UTF-8 bytes (Unicode scalar order).
        case string(String)
        /// A nested tuple.
        case tuple([Element])
        /// An integer that fits `Int64`. Every integer type encodes the same way, so `UInt8(5)`
        /// and `5` give the same key; decoding returns `.integer` whenever the value fits.
        case integer(Int64)
        /// An integer above `Int64.max` (only decoding from a `UInt64` produces it).
        case unsignedInteger(UInt64)
        /// A double, ordered by IEEE 754 total order (-0 before +0; NaNs at the ends).
        case double(Double)
        /// A boolean, false before true.
        case bool(Bool)
        /// A UUID, ordered by its 16 bytes.
        case uuid(UUID)
        /// A point in time, in nanoseconds since 1970-01-01T00:00:00Z (negative before).
        case timestamp(nanosecondsSince1970: Int64)

        /// An integer element: `.integer` when `value` fits `Int64`, else `.unsignedInteger`.
        /// (Every standard integer type fits one or the other.)
        public init<T: BinaryInteger>(integer value: T) {
            if let small = Int64(exactly: value) {
                self = .integer(small)
            } else {
                self = .unsignedInteger(UInt64(value))
            }
        }

        public var description: String {
            switch self {
            case .null: "nil"
            case .bytes(let bytes): "0x" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            case .string(let string): "\"\(string)\""
            case .tuple(let elements): "(" + elements.map(\.description).joined(separator: ", ") + ")"
            case .integer(let value): "\(value)"
            case .unsignedInteger(let value): "\(value)"
            case .double(let value): "\(value)"
            case .bool(let value): "\(value)"
            case .uuid(let value): value.uuidString
            case .timestamp(let nanoseconds): "@\(nanoseconds)ns"
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
