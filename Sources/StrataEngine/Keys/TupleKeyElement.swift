#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A value that can be part of a ``TupleKey``: strings, byte arrays, every standard integer
/// type, `Bool`, `Double`, `Float`, `Date`, `UUID`, optionals of these, nested `TupleKey`s and
/// ``TupleKey/Element`` itself.
public protocol TupleKeyElement {
    /// The element this value encodes as.
    var tupleElement: TupleKey.Element { get }
    /// The value of a decoded element, or nil when the element is not one of these.
    init?(tupleElement: TupleKey.Element)
}

extension TupleKey.Element: TupleKeyElement {
    /// The element itself.
    public var tupleElement: TupleKey.Element { self }
    /// The element itself.
    public init?(tupleElement: TupleKey.Element) { self = tupleElement }
}

extension TupleKey: TupleKeyElement {
    /// A nested tuple.
    public var tupleElement: TupleKey.Element { .tuple(elements) }
    /// The nested tuple `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .tuple(let elements) = tupleElement else { return nil }
        self.init(elements: elements)
    }
}

extension String: TupleKeyElement {
    /// A string element (UTF-8).
    public var tupleElement: TupleKey.Element { .string(self) }
    /// The string `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .string(let value) = tupleElement else { return nil }
        self = value
    }
}

extension Substring: TupleKeyElement {
    /// A string element (UTF-8).
    public var tupleElement: TupleKey.Element { .string(String(self)) }
    /// The string `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .string(let value) = tupleElement else { return nil }
        self = Substring(value)
    }
}

extension Array: TupleKeyElement where Element == UInt8 {
    /// A byte-string element.
    public var tupleElement: TupleKey.Element { .bytes(self) }
    /// The bytes `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .bytes(let value) = tupleElement else { return nil }
        self = value
    }
}

extension Bool: TupleKeyElement {
    /// A boolean element.
    public var tupleElement: TupleKey.Element { .bool(self) }
    /// The boolean `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .bool(let value) = tupleElement else { return nil }
        self = value
    }
}

extension Double: TupleKeyElement {
    /// A double element.
    public var tupleElement: TupleKey.Element { .double(self) }
    /// The double `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .double(let value) = tupleElement else { return nil }
        self = value
    }
}

extension Float: TupleKeyElement {
    /// A double element (exact: every `Float` is a `Double`).
    public var tupleElement: TupleKey.Element { .double(Double(self)) }
    /// The double `element` holds, when it is exactly a `Float`.
    public init?(tupleElement: TupleKey.Element) {
        guard case .double(let value) = tupleElement, let exact = Float(exactly: value) else { return nil }
        self = exact
    }
}

extension UUID: TupleKeyElement {
    /// A UUID element (its 16 bytes).
    public var tupleElement: TupleKey.Element { .uuid(self) }
    /// The UUID `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .uuid(let value) = tupleElement else { return nil }
        self = value
    }
}

extension Date: TupleKeyElement {
    /// A timestamp element: nanoseconds since 1970, rounded to the nearest (a `Date` is a
    /// `Double` of seconds, so finer than a microsecond it is not exact anyway). Traps for a
    /// date outside what `Int64` nanoseconds hold, the years 1678 to 2262.
    public var tupleElement: TupleKey.Element {
        // Whole seconds and the fraction apart, so that the fraction keeps its precision.
        let interval = timeIntervalSince1970
        let whole = interval.rounded(.down)
        let fraction = Int64(((interval - whole) * 1e9).rounded())
        guard let seconds = Int64(exactly: whole) else { Self.outOfRange(self) }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (nanoseconds, carry) = scaled.addingReportingOverflow(fraction)
        guard !overflow, !carry else { Self.outOfRange(self) }
        return .timestamp(nanosecondsSince1970: nanoseconds)
    }

    private static func outOfRange(_ date: Date) -> Never {
        preconditionFailure("TupleKey: \(date) is outside the timestamps Int64 nanoseconds hold (1678-2262)")
    }
    /// The timestamp `element` holds.
    public init?(tupleElement: TupleKey.Element) {
        guard case .timestamp(let nanoseconds) = tupleElement else { return nil }
        // Floor division, so that the fraction is never negative (as on the way in).
        var seconds = nanoseconds / 1_000_000_000
        var remainder = nanoseconds % 1_000_000_000
        if remainder < 0 {
            seconds -= 1
            remainder += 1_000_000_000
        }
        self.init(timeIntervalSince1970: Double(seconds) + Double(remainder) / 1e9)
    }
}

extension Optional: TupleKeyElement where Wrapped: TupleKeyElement {
    /// The wrapped value's element, or `.null`.
    public var tupleElement: TupleKey.Element { self?.tupleElement ?? .null }
    /// The wrapped value, or nil for `.null`; the initializer fails when `element` is neither.
    public init?(tupleElement: TupleKey.Element) {
        if case .null = tupleElement {
            self = .none
            return
        }
        guard let value = Wrapped(tupleElement: tupleElement) else { return nil }
        self = .some(value)
    }
}
