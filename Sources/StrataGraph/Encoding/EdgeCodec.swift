#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// The value stored under an edge's key `(from, type, to)` in the `edges` tree (FORMAT.md,
/// "Edge records"): the key holds the ends and the type.
enum EdgeCodec {
    static let formatVersion: UInt8 = 1

    static func encode(_ edge: Edge) -> [UInt8] {
        var writer = RecordWriter(capacity: 24)
        writer.byte(formatVersion)
        writer.double(edge.weight)
        writer.date(edge.validFrom ?? Date(timeIntervalSince1970: 0))
        writer.optional(edge.validUntil) { $0.date($1) }
        PropertyCodec.write(edge.properties, to: &writer)
        return writer.bytes
    }

    /// The value of an edge's incoming adjacency entry: its validity (`validFrom`, optional
    /// `validUntil`), so that listing a node's incoming edges that hold needs no edge reads.
    static func encodeValidity(_ edge: Edge) -> [UInt8] {
        var writer = RecordWriter(capacity: 12)
        writer.date(edge.validFrom ?? Date(timeIntervalSince1970: 0))
        writer.optional(edge.validUntil) { $0.date($1) }
        return writer.bytes
    }

    /// Whether an incoming entry's validity (``encodeValidity(_:)``) holds at `date`.
    static func validityHolds(_ bytes: [UInt8], at date: Date, context: @escaping @autoclosure () -> String) throws -> Bool {
        var reader = RecordReader(bytes, context: context)
        let validFrom = try reader.date()
        let validUntil = try reader.optional { try $0.date() }
        try reader.finish()
        return validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }

    /// Whether the stored edge was never invalidated (has no `validUntil`): what the degree
    /// counters count.
    static func isCurrent(_ bytes: [UInt8], context: @escaping @autoclosure () -> String) throws -> Bool {
        var reader = RecordReader(bytes, context: context)
        guard try reader.byte() == formatVersion else { throw reader.failure("format version") }
        _ = try reader.double()
        _ = try reader.date()
        return try reader.optional { try $0.date() } == nil
    }

    /// Whether the stored edge holds at `date`, reading only its validity fields.
    static func isValid(_ bytes: [UInt8], at date: Date, context: @escaping @autoclosure () -> String) throws -> Bool {
        var reader = RecordReader(bytes, context: context)
        guard try reader.byte() == formatVersion else { throw reader.failure("format version") }
        _ = try reader.double()
        let validFrom = try reader.date()
        let validUntil = try reader.optional { try $0.date() }
        return validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }

    /// ``isValid(_:at:context:)`` on a lent edge value, read in place (no copy, no allocation):
    /// the format version, the weight skipped, `validFrom` and the optional `validUntil`.
    static func isValid(borrowed bytes: UnsafeRawBufferPointer, at date: Date, from: NodeID, to: NodeID) throws -> Bool {
        var offset = 0
        func failure(_ what: String) -> StrataError {
            GraphError.corruption("edge \(from) -> \(to): \(what) at byte \(offset) of \(bytes.count)")
        }
        func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw failure("truncated") }
            defer { offset += 1 }
            return bytes[offset]
        }
        func timestamp() throws -> Date {
            var raw: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                guard shift < 64, shift < 63 || next <= 1 else { throw failure("varint overflows 64 bits") }
                raw |= UInt64(next & 0x7F) << shift
                if next < 0x80 { break }
                shift += 7
            }
            return Timestamp.date(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        }
        guard try byte() == formatVersion else { throw failure("format version") }
        guard bytes.count - offset >= 8 else { throw failure("truncated double") }
        offset += 8
        let validFrom = try timestamp()
        let validUntil: Date?
        switch try byte() {
        case 0: validUntil = nil
        case 1: validUntil = try timestamp()
        case let flag: throw failure("optional flag \(flag)")
        }
        return validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }

    static func decode(_ bytes: [UInt8], from: NodeID, type: EdgeType, to: NodeID) throws -> Edge {
        var reader = RecordReader(bytes, context: "edge \(from) -\(type)-> \(to)")
        let version = try reader.byte()
        guard version == formatVersion else {
            throw StrataError(.formatVersion, "edge \(from) -\(type)-> \(to) has record format \(version); this build reads 1")
        }
        let weight = try reader.double()
        let validFrom = try reader.date()
        let validUntil = try reader.optional { try $0.date() }
        let properties = try PropertyCodec.readBag(&reader)
        try reader.finish()
        return Edge(
            from: from, type: type, to: to, weight: weight, properties: properties, validFrom: validFrom,
            validUntil: validUntil)
    }
}
