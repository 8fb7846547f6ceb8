import StrataEngine

/// What a memory store holds, counted from its indexes on one snapshot
/// (``MemoryStore/statistics()``). Expired nodes that the sweep has not deleted yet are counted:
/// these are stored counts, not what queries return.
public struct GraphStatistics: Sendable, Equatable {
    /// Nodes by namespace, then by kind name (`"message"`, or a custom kind's name).
    public var nodes: [String: [String: Int]] = [:]
    /// Edges by type name.
    public var edges: [String: Int] = [:]
    /// Vectors by namespace, then by embedding space.
    public var vectors: [String: [String: Int]] = [:]
    /// The embedding spaces defined.
    public var spaces: [EmbeddingSpace] = []
    /// Nodes with an expiry (expired or not).
    public var expiring = 0
    /// Earlier versions kept.
    public var versions = 0

    /// Every node, in every namespace.
    public var nodeCount: Int { nodes.values.reduce(0) { $0 + $1.values.reduce(0, +) } }
    /// Every edge.
    public var edgeCount: Int { edges.values.reduce(0, +) }
    /// Every vector.
    public var vectorCount: Int { vectors.values.reduce(0) { $0 + $1.values.reduce(0, +) } }
}

extension MemoryStore {
    /// Counts nodes by namespace and kind, edges by type and vectors by namespace and space, from
    /// the indexes of one snapshot (reads every index entry and edge key once; no record).
    public func statistics() throws -> GraphStatistics {
        let view = trees.view(try database.snapshot())
        var statistics = GraphStatistics()
        func scan(_ tag: IndexKey.Tag, _ body: (TupleKey) throws -> Void) throws {
            let prefix = TupleKey(tag.rawValue).bytes
            var cursor = try view.index.range(.included(prefix), .after(prefix: prefix), reverse: false)
            while let entry = try cursor.next() { try body(try TupleKey(decoding: entry.key)) }
        }
        try scan(.kind) { key in
            let namespace: String = try key.value(at: 1)
            let kind: String = try key.value(at: 2)
            statistics.nodes[namespace, default: [:]][kind, default: 0] += 1
        }
        try scan(.vector) { key in
            let namespace: String = try key.value(at: 1)
            let space: String = try key.value(at: 2)
            statistics.vectors[namespace, default: [:]][space, default: 0] += 1
        }
        try scan(.expiry) { _ in statistics.expiring += 1 }
        var edges = try view.edges.range(.unbounded, .unbounded, reverse: false)
        while let entry = try edges.next() {
            let type: String = try TupleKey(decoding: entry.key).value(at: 1)
            statistics.edges[type, default: 0] += 1
        }
        var spaces = try view.spaces.range(.unbounded, .unbounded, reverse: false)
        while let entry = try spaces.next() {
            let name: String = try TupleKey(decoding: entry.key).value(at: 0)
            statistics.spaces.append(try SpaceCodec.decode(entry.value, name: name))
        }
        statistics.versions = try view.versions.count(prefix: [])
        return statistics
    }
}
