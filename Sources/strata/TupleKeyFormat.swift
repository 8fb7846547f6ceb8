import Foundation
import StrataEngine

/// Prints ``TupleKey`` keys for people: `("msg", 42, 2026-01-01T00:00:03.250Z, 17)`, with
/// timestamps in ISO 8601 (UTC, milliseconds) rather than the engine's nanosecond counts.
enum TupleKeyFormat {
    /// `bytes` decoded as a tuple and rendered, or nil when they are not a tuple key.
    static func decode(_ bytes: [UInt8]) -> String? {
        guard let key = try? TupleKey(decoding: bytes), !key.elements.isEmpty else { return nil }
        return render(key.elements)
    }

    /// `bytes` rendered as a tuple, or as escaped text when they are not a tuple key.
    static func render(_ bytes: [UInt8]) -> String {
        decode(bytes) ?? ByteFormat.text.render(bytes)
    }

    private static func render(_ elements: [TupleKey.Element]) -> String {
        "(" + elements.map(render).joined(separator: ", ") + ")"
    }

    private static func render(_ element: TupleKey.Element) -> String {
        switch element {
        case .tuple(let elements): render(elements)
        case .timestamp:
            Date(tupleElement: element).map { $0.formatted(timestampStyle) } ?? element.description
        default: element.description
        }
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
