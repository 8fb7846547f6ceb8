#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Appends the graph's compact binary encoding (FORMAT.md, "Graph records"): LEB128 varints,
/// zigzag for signed values, length-prefixed UTF-8, little-endian IEEE doubles and floats.
struct RecordWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func double(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func raw(_ value: [UInt8]) {
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A date as zigzag nanoseconds since 1970 (validated before writing: see ``Timestamp``).
    mutating func date(_ value: Date) {
        signed(Timestamp.nanoseconds(value))
    }

    mutating func optional<T>(_ value: T?, _ write: (inout RecordWriter, T) -> Void) {
        guard let value else {
            byte(0)
            return
        }
        byte(1)
        write(&self, value)
    }

    mutating func id(_ value: NodeID) {
        switch value {
        case .uuid(let uuid):
            byte(0)
            withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
        case .name(let name):
            byte(1)
            string(name)
        }
    }
}

/// Converts between `Date` and the Int64 nanoseconds the keys and records store.
enum Timestamp {
    /// The earliest and latest dates a record may carry (what Int64 nanoseconds hold, with margin).
    static let range: ClosedRange<Date> =
        Date(timeIntervalSince1970: -9_000_000_000)...Date(timeIntervalSince1970: 9_000_000_000)

    /// Throws `invalidField` for a date outside ``range`` (or not a number).
    static func validate(_ date: Date, _ field: String) throws {
        // `contains` alone admits NaN (`<=` is `!(>)`, and every comparison with NaN is false);
        // and printing a NaN date traps, so it gets its own message.
        guard !date.timeIntervalSince1970.isNaN else { throw GraphError.invalidField(field, "the date is not a number") }
        guard range.contains(date) else {
            throw GraphError.invalidField(field, "\(date) is outside the dates a record holds (1685 ... 2255)")
        }
    }

    /// `date` as a bound of a key range over stored dates: a date beyond ``range`` is moved to
    /// just outside it (every stored date is inside, so the range selects the same records),
    /// where a key can hold it; a key element of a date past the years 1678 ... 2262 traps.
    ///
    /// - Throws: `invalidField` for a date that is not a number.
    static func keyBound(_ date: Date, _ field: String) throws -> Date {
        let seconds = date.timeIntervalSince1970
        guard !seconds.isNaN else { throw GraphError.invalidField(field, "the date is not a number") }
        let lower = range.lowerBound.addingTimeInterval(-1)
        let upper = range.upperBound.addingTimeInterval(1)
        return date < lower ? lower : date > upper ? upper : date
    }

    static func nanoseconds(_ date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        return Int64(whole) * 1_000_000_000 + Int64(((interval - whole) * 1e9).rounded())
    }

    static func date(_ nanoseconds: Int64) -> Date {
        var seconds = nanoseconds / 1_000_000_000
        var remainder = nanoseconds % 1_000_000_000
        if remainder < 0 {
            seconds -= 1
            remainder += 1_000_000_000
        }
        return Date(timeIntervalSince1970: Double(seconds) + Double(remainder) / 1e9)
    }
}
