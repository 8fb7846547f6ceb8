#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// The identity of a node: a time-ordered 128-bit id (UUIDv7 layout) that the store can make, or
/// the caller's own string id.
///
/// Ids are unique across the whole store (every namespace). They order first by form (every
/// ``uuid(_:)`` before every ``name(_:)``), then bytewise; a UUIDv7 sorts by its creation time.
public enum NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// A 128-bit id; ``generate(at:)`` makes a time-ordered one.
    case uuid(UUID)
    /// The caller's id: 1 to ``NodeID/maxNameBytes`` bytes of UTF-8.
    case name(String)

    /// The longest string id, in UTF-8 bytes.
    public static let maxNameBytes = 512

    /// A string id (`"m00000017"`); the same as `.name(string)`.
    public init(_ string: String) { self = .name(string) }

    /// A new time-ordered id in the UUIDv7 layout: 48 bits of Unix milliseconds, then random bits.
    public static func generate(at date: Date = Date()) -> NodeID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var random = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
        let tail = random.next() as UInt64
        let more = random.next() as UInt64
        for index in 6..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: (index < 12 ? tail >> (8 * UInt64(index - 6)) : more >> (8 * UInt64(index - 12))))
        }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 4122 variant
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return .uuid(uuid)
    }

    /// The id as text: the UUID's canonical form, or the string.
    public var description: String {
        switch self {
        case .uuid(let uuid): uuid.uuidString.lowercased()
        case .name(let name): name
        }
    }

    /// Orders as the stored keys do.
    public static func < (lhs: NodeID, rhs: NodeID) -> Bool {
        TupleKey(lhs).bytes.lexicographicallyPrecedes(TupleKey(rhs).bytes)
    }

    /// Throws `invalidField` for an empty or oversized string id.
    func validate() throws {
        if case .name(let name) = self {
            let length = name.utf8.count
            guard length > 0 else { throw GraphError.invalidField("id", "an id must not be empty") }
            guard length <= Self.maxNameBytes else {
                throw GraphError.invalidField("id", "an id is at most \(Self.maxNameBytes) bytes (this one has \(length))")
            }
        }
    }
}

extension NodeID: TupleKeyElement {
    /// A UUID element or a string element.
    public var tupleElement: TupleKey.Element {
        switch self {
        case .uuid(let uuid): .uuid(uuid)
        case .name(let name): .string(name)
        }
    }

    /// The id an element holds; nil for an element of another type.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .uuid(let uuid): self = .uuid(uuid)
        case .string(let name): self = .name(name)
        default: return nil
        }
    }
}

extension NodeID: ExpressibleByStringLiteral {
    /// A string id from a literal: `let id: NodeID = "m00000017"`.
    public init(stringLiteral value: String) { self = .name(value) }
}
