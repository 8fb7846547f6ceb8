#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

/// What the model says a recovered store holds: decoded from the reference state of the commit
/// the store recovered (the graph trees' entries), not from the store's indexes. Vectors, edge
/// keys, spaces and versions come from the state's bytes (FORMAT.md, "Graph trees"); a node's
/// record (its kind, namespace, times and fields, which the searches' filters look at) is read
/// by id from the recovered store, whose trees the engine check has already found equal to
/// the state.
public struct RecoveredGraph {
    /// Every node the state holds, expired or not.
    public var nodes: [NodeID: Node] = [:]
    /// Space name → node → vector.
    public var vectors: [String: [NodeID: [Float]]] = [:]
    /// The spaces defined, by name.
    public var spaces: [String: EmbeddingSpace] = [:]
    /// Edges by type name.
    public var edges: [String: Int] = [:]
    /// Earlier versions kept.
    public var versions = 0

    /// Decodes `state`, reading each of its nodes' records through `store` (every one must be there).
    public init(state: ModelState, store: MemoryStore) throws {
        let reader = try store.reader(includingExpired: true)
        for key in (state["graph.nodes"] ?? [:]).keys {
            let id = try Self.id(try TupleKey(decoding: key), at: 0)
            guard let node = try reader.node(id) else {
                throw CampaignFailure("the model holds node \(id) but the recovered store does not return it")
            }
            nodes[id] = node
        }
        for key in (state["graph.spaces"] ?? [:]).keys {
            let name: String = try TupleKey(decoding: key).value(at: 0)
            guard let space = try reader.space(named: name) else {
                throw CampaignFailure("the model holds embedding space \(name) but the recovered store does not")
            }
            spaces[name] = space
        }
        for (key, value) in state["graph.embeddings"] ?? [:] {
            let tuple = try TupleKey(decoding: key)
            let id = try Self.id(tuple, at: 0)
            let space: String = try tuple.value(at: 1)
            guard value.count % 4 == 0 else { throw CampaignFailure("the model's vector of \(id) in \(space) has \(value.count) bytes") }
            vectors[space, default: [:]][id] = stride(from: 0, to: value.count, by: 4).map { offset in
                var bits: UInt32 = 0
                for byte in 0..<4 { bits |= UInt32(value[offset + byte]) << (8 * byte) }
                return Float(bitPattern: bits)
            }
        }
        for key in (state["graph.edges"] ?? [:]).keys {
            let type: String = try TupleKey(decoding: key).value(at: 1)
            edges[type, default: 0] += 1
        }
        versions = state["graph.versions"]?.count ?? 0
    }

    static func id(_ key: TupleKey, at index: Int) throws -> NodeID {
        guard key.elements.count > index, let id = NodeID(tupleElement: key.elements[index]) else {
            throw CampaignFailure("model key \(key) has no node id at \(index)")
        }
        return id
    }

    /// What `MemoryStore.statistics()` must report for this graph (spaces sorted by name), but
    /// for the HNSW graphs' counts (`vectorIndexes`, left empty: the state does not say them).
    public var statistics: GraphStatistics {
        var statistics = GraphStatistics()
        for node in nodes.values {
            statistics.nodes[node.namespace, default: [:]][node.kind.name, default: 0] += 1
            if node.expiresAt != nil { statistics.expiring += 1 }
        }
        for (space, vectors) in vectors {
            for id in vectors.keys {
                statistics.vectors[nodes[id]?.namespace ?? "(no node)", default: [:]][space, default: 0] += 1
            }
        }
        statistics.edges = edges
        statistics.spaces = spaces.values.sorted { $0.name < $1.name }
        statistics.versions = versions
        return statistics
    }

    /// Throws unless `store.statistics()` equals ``statistics`` (spaces compared as a set; the
    /// HNSW graphs' counts are not compared).
    public func checkStatistics(of store: MemoryStore, _ when: String) throws {
        var found = try store.statistics()
        found.spaces.sort { $0.name < $1.name }
        found.vectorIndexes = []
        let expected = statistics
        guard found == expected else {
            throw CampaignFailure("statistics() \(when): store \(Self.describe(found)), model \(Self.describe(expected))")
        }
    }

    /// The counts of `statistics`, spaces by name.
    static func describe(_ statistics: GraphStatistics) -> String {
        let (nodes, edges, vectors, spaces) = (statistics.nodes, statistics.edges, statistics.vectors, statistics.spaces)
        return "nodes \(nodes), edges \(edges), vectors \(vectors), spaces \(spaces.map(\.name)), "
            + "expiring \(statistics.expiring), versions \(statistics.versions)"
    }
}
