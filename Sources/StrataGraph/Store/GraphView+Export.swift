import StrataEngine

extension GraphView {
    /// Everything stored about `id` as a ``RecordExport``, or nil for an unknown id (expired or not).
    func export(_ id: NodeID) throws -> RecordExport? {
        guard let record = try nodes.get(GraphKey.id(id)) else { return nil }
        let prefix = TupleKey.prefix(id)
        let versions = try entries(of: versions, prefix: prefix).map { RecordExport.Row(key: $0.key, value: $0.value) }
        let vectors = try entries(of: embeddings, prefix: prefix).map { RecordExport.Row(key: $0.key, value: $0.value) }
        var spaces: [RecordExport.Row] = []
        for row in vectors {
            let name: String = try TupleKey(decoding: row.key).value(at: 1)
            guard let space = try self.spaces.get(TupleKey(name).bytes) else {
                throw GraphError.corruption("the vector of \(id) is in space \(name), which is not defined")
            }
            spaces.append(RecordExport.Row(key: TupleKey(name).bytes, value: space))
        }
        var edges: [[UInt8]: [UInt8]] = [:]
        for entry in try entries(of: self.edges, prefix: prefix) { edges[entry.key] = entry.value }
        for (from, type) in try incomingEntries(of: id, type: nil) {
            let key = TupleKey(from, type.name, id).bytes
            guard let value = try self.edges.get(key) else {
                throw GraphError.corruption("incoming entry \(from) -\(type)-> \(id) has no edge")
            }
            edges[key] = value
        }
        return RecordExport(
            id: id, record: record, versions: versions, access: try access.get(GraphKey.id(id)), spaces: spaces,
            vectors: vectors,
            edges: edges.map { RecordExport.Row(key: $0.key, value: $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) })
    }

    /// `root` and every node hanging off it (the delete cascade's set: a conversation's messages,
    /// their replies and memories, summaries, owned custom nodes), each before the nodes that
    /// refer to it; empty for an unknown id.
    func unit(of root: NodeID) throws -> [NodeID] {
        guard try contains(root) else { return [] }
        var order: [NodeID] = []
        var seen: Set<NodeID> = [root]
        var next = 0
        order.append(root)
        while next < order.count {
            let owner = order[next]
            next += 1
            for child in try indexedIDs(prefix: TupleKey(IndexKey.Tag.owner.rawValue, owner)) where seen.insert(child).inserted {
                order.append(child)
            }
        }
        // Breadth first puts owners first except for a reply reached through its conversation
        // before its parent: order by the owner relation.
        var placed: Set<NodeID> = []
        var result: [NodeID] = []
        var pending = order
        while !pending.isEmpty {
            var rest: [NodeID] = []
            for id in pending {
                let owners = try storedNode(id)?.content.owners ?? []
                if id == root || owners.allSatisfy({ placed.contains($0) || !seen.contains($0) }) {
                    placed.insert(id)
                    result.append(id)
                } else {
                    rest.append(id)
                }
            }
            guard rest.count < pending.count else { throw GraphError.corruption("a cycle of owners under \(root)") }
            pending = rest
        }
        return result
    }
}

extension GraphReader {
    /// Everything stored about `id` (its record, earlier versions, access stats, vectors and
    /// their spaces, every edge at either end), expired or not; nil for an unknown id.
    public func export(_ id: NodeID) throws -> RecordExport? {
        try view.export(id)
    }

    /// `root` and every node hanging off it (what ``GraphTransaction/delete(_:)`` would delete),
    /// owners before the nodes that refer to them, expired or not; empty for an unknown id.
    public func unit(of root: NodeID) throws -> [NodeID] {
        try view.unit(of: root)
    }
}
