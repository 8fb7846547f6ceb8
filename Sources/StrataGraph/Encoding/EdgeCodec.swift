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
