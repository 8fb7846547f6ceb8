#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// One record with everything stored about it, exactly as its store holds it: the current
/// record (id, version, timestamps, expiry), its earlier versions, its access stats, its vectors
/// in every space (with the spaces' definitions) and every edge that starts or ends at it, with
/// its properties (FORMAT.md, "Record export").
///
/// Made by ``GraphReader/export(_:)`` (or ``GraphTransaction/export(_:)``) and stored into
/// another store by ``GraphTransaction/importRecord(_:)``, where it becomes the same record: same
/// id, version numbers and timestamps, its index entries and HNSW rows made by that store's own
/// write path. ``encoded`` is a self-contained binary form; two exports of an unchanged record
/// are equal (and have equal ``digest``s).
public struct RecordExport: Hashable, Sendable {
    /// One stored key and value.
    struct Row: Hashable, Sendable {
        var key: [UInt8]
        var value: [UInt8]
    }

    /// The record's id.
    public let id: NodeID
    /// The `graph.nodes` value: the current record.
    let record: [UInt8]
    /// The `graph.versions` rows `(id, version)`, oldest first.
    let versions: [Row]
    /// The `graph.access` value, if the record was ever accessed.
    let access: [UInt8]?
    /// The `graph.spaces` rows of the spaces the record has a vector in.
    let spaces: [Row]
    /// The `graph.embeddings` rows `(id, space)`.
    let vectors: [Row]
    /// The `graph.edges` rows `(from, type, to)` of every edge with `id` at either end, in key order.
    let edges: [Row]

    init(id: NodeID, record: [UInt8], versions: [Row], access: [UInt8]?, spaces: [Row], vectors: [Row], edges: [Row]) {
        self.id = id
        self.record = record
        self.versions = versions
        self.access = access
        self.spaces = spaces
        self.vectors = vectors
        self.edges = edges
    }

    /// The current record as stored (without derived fields such as the access count).
    public func node() throws -> Node {
        try NodeCodec.decode(record, id: id)
    }

    /// Every edge with the record at either end (outgoing and incoming, a self-loop once).
    public func allEdges() throws -> [Edge] {
        try edges.map { row in
            let (from, type, to) = try Self.edgeEnds(row.key)
            return try EdgeCodec.decode(row.value, from: from, type: type, to: to)
        }
    }

    /// The ends and type of an edge key `(from, type, to)`.
    static func edgeEnds(_ key: [UInt8]) throws -> (NodeID, EdgeType, NodeID) {
        let tuple = try TupleKey(decoding: key)
        guard tuple.count == 3, let from = NodeID(tupleElement: tuple.elements[0]),
              let type: String = try? tuple.value(at: 1), let to = NodeID(tupleElement: tuple.elements[2])
        else { throw GraphError.corruption("edge key \(tuple) is not (from, type, to)") }
        return (from, EdgeType(type), to)
    }

    // MARK: Binary form

    private static let magic: [UInt8] = Array("SGRX1".utf8)

    /// The export as bytes: `SGRX1`, the id, then each part length-prefixed (FORMAT.md, "Record export").
    public var encoded: [UInt8] {
        var writer = RecordWriter(capacity: 64 + record.count)
        writer.raw(Self.magic)
        writer.id(id)
        writer.raw(record)
        func rows(_ rows: [Row]) {
            writer.varint(UInt64(rows.count))
            for row in rows {
                writer.raw(row.key)
                writer.raw(row.value)
            }
        }
        rows(versions)
        writer.optional(access) { $0.raw($1) }
        rows(spaces)
        rows(vectors)
        rows(edges)
        return writer.bytes
    }

    /// Decodes ``encoded``.
    ///
    /// - Throws: `corruption` for bytes that are not an export (nothing is trapped on).
    public init(decoding bytes: [UInt8]) throws {
        var reader = RecordReader(bytes, context: "record export")
        guard try reader.rawBytes() == Self.magic else { throw reader.failure("not a record export") }
        let id = try reader.id()
        let record = try reader.rawBytes()
        func rows() throws -> [Row] {
            let count = try reader.count(limit: .max)
            return try (0..<count).map { _ in Row(key: try reader.rawBytes(), value: try reader.rawBytes()) }
        }
        let versions = try rows()
        let access = try reader.optional { try $0.rawBytes() }
        let spaces = try rows(), vectors = try rows(), edges = try rows()
        try reader.finish()
        self.init(id: id, record: record, versions: versions, access: access, spaces: spaces, vectors: vectors, edges: edges)
        _ = try node()
    }

    /// A 64-bit FNV-1a hash of ``encoded``: stable across processes (a move's journal records it
    /// to tell whether a record changed after it was copied).
    public var digest: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in encoded {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
