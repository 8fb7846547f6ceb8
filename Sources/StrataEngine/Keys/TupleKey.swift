/// An order-preserving key built from typed parts, after FoundationDB's tuple layer.
///
/// `TupleKey("msg", conversationID, timestamp, messageID).bytes` is a key whose byte order is
/// the order of the tuples: element by element, first by type (nil < byte strings < strings <
/// nested tuples < integers < doubles < booleans < UUIDs < timestamps), then by value within a
/// type (integers numerically, negatives first; strings by their UTF-8 bytes; doubles in IEEE
/// total order). A shorter tuple sorts before every tuple it is a prefix of.
///
/// It is prefix-safe: the encoding of `(a)` is a prefix of the encoding of `(a, b)`, and a
/// ``Tree`` scan of ``prefix(_:)`` of `(a)` returns exactly the tuples whose first element is
/// `a` (a scan of `("a")` never returns `("ab")` or `("a\0")`: strings end with a zero byte and
/// no zero byte occurs inside them). The byte layout is in FORMAT.md, "Key tuples"; it is
/// FoundationDB's except for that escaping, chosen so that a plain byte-prefix scan is exact.
///
/// ```swift
/// let key = TupleKey("msg", conversation, sentAt, messageID)
/// try messages.insert(payload, forKey: key.bytes)
/// var cursor = try messages.scan(prefix: TupleKey.prefix("msg", conversation))
/// let decoded = try TupleKey(decoding: entry.key)
/// let sent: Date = try decoded.value(at: 2, as: Date.self)
/// ```
public struct TupleKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The elements, in order.
    public let elements: [Element]
    /// The encoded key: what to store, compare and scan by.
    public let bytes: [UInt8]

    /// The tuple of `elements` (strings, integers, `Date`, `UUID`, optionals, nested keys, …).
    public init(_ elements: any TupleKeyElement...) {
        self.init(elements: elements.map(\.tupleElement))
    }

    /// The tuple of `elements`.
    public init(elements: [Element]) {
        self.elements = elements
        var encoder = TupleKeyEncoder()
        for element in elements { encoder.append(element, nested: false) }
        bytes = encoder.bytes
    }

    /// Decodes a key that ``bytes`` produced.
    ///
    /// - Throws: ``StrataError`` `invalidArgument`, with the offset of the first byte that is
    ///   not part of a valid encoding (an unknown type code, a missing terminator, a truncated
    ///   value, a non-canonical integer, a string that is not UTF-8, nesting past
    ///   ``maxNestingDepth``).
    public init(decoding bytes: some Collection<UInt8>) throws {
        let array = Array(bytes)
        var decoder = TupleKeyDecoder(array)
        elements = try decoder.decodeAll()
        self.bytes = array
    }

    /// The element that starts at byte `offset` of `bytes` (an encoded key), and the offset just
    /// past it: one element of a stored key read without decoding the elements before it, when
    /// the caller knows where it starts (after a scan's prefix, say).
    ///
    /// ```swift
    /// let prefix = TupleKey.prefix("msg", conversation)
    /// let (element, end) = try TupleKey.element(in: entry.key, at: prefix.count)
    /// ```
    ///
    /// - Throws: ``StrataError`` `invalidArgument` when `offset` is not inside `bytes` or the
    ///   bytes there are not a valid element (as ``init(decoding:)`` would reject them).
    public static func element(in bytes: [UInt8], at offset: Int) throws -> (element: Element, end: Int) {
        guard offset >= 0, offset < bytes.count else {
            throw StrataError.invalidArgument("no tuple key element at byte \(offset) of a \(bytes.count)-byte key")
        }
        var decoder = TupleKeyDecoder(bytes, offset: offset)
        let element = try decoder.decodeNext()
        return (element, decoder.position)
    }

    /// The encoding of the tuple of `elements`: scan a tree by it to visit exactly the keys
    /// whose tuples start with these elements.
    public static func prefix(_ elements: any TupleKeyElement...) -> [UInt8] {
        TupleKey(elements: elements.map(\.tupleElement)).bytes
    }

    /// The deepest nesting of tuples that decoding accepts (the encoder has no limit, but a key
    /// is at most `Limits.maxKeyLength` bytes anyway).
    public static let maxNestingDepth = 32

    /// This tuple followed by `elements`.
    public func appending(_ elements: any TupleKeyElement...) -> TupleKey {
        TupleKey(elements: self.elements + elements.map(\.tupleElement))
    }

    /// The number of elements.
    public var count: Int { elements.count }

    /// The element at `index`, converted to `type`.
    ///
    /// - Throws: ``StrataError`` `invalidArgument` when there is no such element or it is not
    ///   a `type` (an integer that does not fit counts as not a `type`).
    public func value<T: TupleKeyElement>(at index: Int, as type: T.Type = T.self) throws -> T {
        guard elements.indices.contains(index) else {
            throw StrataError.invalidArgument("tuple key \(self) has no element \(index)")
        }
        guard let value = T(tupleElement: elements[index]) else {
            throw StrataError.invalidArgument("element \(index) of tuple key \(self) is not a \(T.self)")
        }
        return value
    }

    /// Compares by ``bytes``, which is the tuple order.
    public static func < (lhs: TupleKey, rhs: TupleKey) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    public static func == (lhs: TupleKey, rhs: TupleKey) -> Bool { lhs.bytes == rhs.bytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    /// `("msg", 42, 2026-01-01T00:00:00.000000000Z)`.
    public var description: String {
        "(" + elements.map(\.description).joined(separator: ", ") + ")"
    }
}
