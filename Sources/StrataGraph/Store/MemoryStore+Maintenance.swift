import StrataEngine

extension MemoryStore {
    /// Checks that records and indexes agree exactly, on one snapshot (see ``GraphVerification``).
    public func verify() throws -> GraphVerification {
        try GraphVerifier(view: trees.view(database.snapshot())).run()
    }

    /// Regenerates every derived entry (the structural index, the incoming adjacency, the degree
    /// counters and the vector listing) from the records, in one transaction. Returns the verification after it.
    ///
    /// - Throws: `invalidArgument` if the indexes are too large for one transaction
    ///   (``Limits/maxBatchBytes``); nothing is changed then.
    @discardableResult
    public func rebuildIndexes() throws -> GraphVerification {
        try write { graph in
            let view = graph.view
            try graph.transaction.clear(trees.index)
            try graph.transaction.clear(trees.incoming)
            try graph.transaction.clear(trees.degrees)
            var degrees: [[UInt8]: UInt64] = [:]
            var nodes = try view.nodes.range(.unbounded, .unbounded, reverse: false)
            var namespaces: [NodeID: String] = [:]
            while let entry = try nodes.next() {
                let key = try TupleKey(decoding: entry.key)
                guard let id = NodeID(tupleElement: key.elements[0]) else { continue }
                let node = try NodeCodec.decode(entry.value, id: id)
                namespaces[id] = node.namespace
                for indexKey in IndexKey.keys(for: node) {
                    try graph.transaction.insert([], forKey: indexKey, in: trees.index)
                }
            }
            var edges = try view.edges.range(.unbounded, .unbounded, reverse: false)
            while let entry = try edges.next() {
                let key = try TupleKey(decoding: entry.key)
                guard let from = NodeID(tupleElement: key.elements[0]), let to = NodeID(tupleElement: key.elements[2]),
                    let source = try view.storedNode(from)
                else { continue }
                let type: String = try key.value(at: 1)
                let edge = try EdgeCodec.decode(entry.value, from: from, type: EdgeType(type), to: to)
                try graph.transaction.insert(
                    EdgeCodec.encodeValidity(edge), forKey: TupleKey(to, type, source.createdAt, from).bytes, in: trees.incoming)
                degrees[TupleKey(to, type).bytes, default: 0] += 1
            }
            for (key, count) in degrees {
                var writer = RecordWriter(capacity: 4)
                writer.varint(count)
                try graph.transaction.insert(writer.bytes, forKey: key, in: trees.degrees)
            }
            var vectors = try view.embeddings.range(.unbounded, .unbounded, reverse: false)
            while let entry = try vectors.next() {
                let key = try TupleKey(decoding: entry.key)
                guard let id = NodeID(tupleElement: key.elements[0]), let namespace = namespaces[id] else { continue }
                let space: String = try key.value(at: 1)
                try graph.transaction.insert([], forKey: IndexKey.vector(namespace: namespace, space: space, id: id), in: trees.index)
            }
        }
        return try verify()
    }
}
