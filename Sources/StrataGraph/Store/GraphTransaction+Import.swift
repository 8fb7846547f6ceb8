#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

extension GraphTransaction {
    /// Everything stored about `id`, as this transaction sees it (``GraphReader/export(_:)``).
    public func export(_ id: NodeID) throws -> RecordExport? {
        try view.export(id)
    }

    /// `root` and every node hanging off it, owners first, as this transaction sees them
    /// (``GraphReader/unit(of:)``).
    public func unit(of root: NodeID) throws -> [NodeID] {
        try view.unit(of: root)
    }

    /// Stores `export` as the same record it was in its store: the same id, record bytes (version,
    /// timestamps, expiry), earlier versions and access stats; its vectors through
    /// ``setVector(_:for:in:)`` (defining their spaces if missing), so this store's HNSW graphs
    /// index them; its index entries derived as an insert derives them. Each of its edges whose
    /// other end this store holds (or that loops on the record) is stored with both adjacency
    /// entries and its degree, unless the store has it already (imported with its other end).
    ///
    /// The record's references (conversation, parent, owner) are not checked: import a unit
    /// owners first (``unit(of:)``); a move keeps units together.
    ///
    /// - Returns: the edges not stored because their other end is not in this store.
    /// - Throws: `duplicateID` if the id exists; `dimensionMismatch` if a space exists here with
    ///   another definition; `namespaceMismatch` for an edge to a node of another namespace here;
    ///   `corruption` for an export whose parts do not belong to its record. Nothing is written then.
    @discardableResult
    public func importRecord(_ export: RecordExport) throws -> [Edge] {
        let id = export.id
        guard try !view.contains(id) else { throw StrataError(.duplicateID, "node \(id) already exists; an import never replaces a record") }
        let node = try export.node()
        let prefix = TupleKey.prefix(id)
        for row in export.versions + export.vectors where !row.key.starts(with: prefix) {
            throw GraphError.corruption("the export of \(id) holds a row of another record")
        }
        var definitions: [String: EmbeddingSpace] = [:]
        for row in export.spaces {
            let name: String = try TupleKey(decoding: row.key).value(at: 0)
            let space = try SpaceCodec.decode(row.value, name: name)
            if let existing = try view.space(named: name), existing != space {
                throw StrataError(.dimensionMismatch, "space \(name) exists here as \(existing.model), \(existing.dimension) dimensions, \(existing.metric); the export's is \(space.model), \(space.dimension), \(space.metric)")
            }
            definitions[name] = space
        }
        var vectors: [(space: String, vector: [Float])] = []
        for row in export.vectors {
            let name: String = try TupleKey(decoding: row.key).value(at: 1)
            guard let space = definitions[name] else { throw GraphError.corruption("the export of \(id) has a vector in \(name) without its space") }
            let vector = try row.value.withUnsafeBytes {
                try SpaceCodec.decode(vector: $0, dimension: space.dimension, context: "vector of \(id) in \(name)")
            }
            try NodeValidation.check(vector, for: space)
            vectors.append((name, vector))
        }
        let edges = try export.allEdges()
        var placeable: [(row: RecordExport.Row, edge: Edge, fromCreatedAt: Date)] = []
        var unplaced: [Edge] = []
        for (row, edge) in zip(export.edges, edges) {
            guard edge.from == id || edge.to == id else { throw GraphError.corruption("the export of \(id) holds edge \(edge.from) -> \(edge.to)") }
            let other = edge.from == id ? edge.to : edge.from
            var fromCreatedAt = node.createdAt
            if other != id {
                guard let header = try view.nodeHeader(other) else {
                    unplaced.append(edge)
                    continue
                }
                guard header.namespace == node.namespace else {
                    throw GraphError.namespaceMismatch(other, is: header.namespace, expected: node.namespace)
                }
                if edge.from == other { fromCreatedAt = header.createdAt }
            }
            if try view.edges.contains(row.key) { continue }
            placeable.append((row, edge, fromCreatedAt))
        }
        // Checked: write.
        try transaction.insert(export.record, forKey: TupleKey(id).bytes, in: trees.nodes)
        for key in IndexKey.keys(for: node) { try transaction.insert([], forKey: key, in: trees.index) }
        for row in export.versions { try transaction.insert(row.value, forKey: row.key, in: trees.versions) }
        if let access = export.access { try transaction.insert(access, forKey: TupleKey(id).bytes, in: trees.access) }
        for space in definitions.values { try define(space) }
        for (space, vector) in vectors { try setVector(vector, for: id, in: space) }
        for (row, edge, fromCreatedAt) in placeable {
            try transaction.insert(row.value, forKey: row.key, in: trees.edges)
            try transaction.insert(
                EdgeCodec.encodeValidity(edge), forKey: TupleKey(edge.to, edge.type.name, fromCreatedAt, edge.from).bytes,
                in: trees.incoming)
            if edge.validUntil == nil { try adjustDegree(of: edge.to, type: edge.type, by: 1) }
        }
        return unplaced
    }

    /// Removes the record `id` and everything stored about it (its edges at either end, vectors,
    /// versions, access stats, index entries) like ``delete(_:)``, but not the nodes hanging off
    /// it: a move evicts each record of a unit by name once its export is stored elsewhere.
    ///
    /// - Throws: `missingRecord` for an unknown id.
    public func evict(_ id: NodeID) throws {
        guard let node = try view.storedNode(id) else { throw GraphError.missingNode(id) }
        try erase(node)
    }
}
