import StrataEngine

/// What never changes about a node while its slot holds it: its id (nil once read back as a
/// tombstone), level and prepared vector (``VectorKernel/prepared(_:metric:)``). Shared between
/// the cache and transactions.
final class HNSWPoint: Sendable {
    let id: NodeID?
    let level: Int
    let vector: [Float]

    init(id: NodeID?, level: Int, vector: [Float]) {
        self.id = id
        self.level = level
        self.vector = vector
    }
}

/// One slot's node as the index reads it: the point, whether it is a tombstone, its neighbour
/// lists (index = level).
struct HNSWNodeState: Sendable {
    var point: HNSWPoint
    var tombstoneEpoch: UInt64?
    var neighbours: [[UInt32]]

    var isLive: Bool { tombstoneEpoch == nil }

    /// The bytes the cache charges for it.
    var cost: Int { 96 + point.vector.count * 4 + neighbours.reduce(0) { $0 + 32 + $1.count * 4 } }

    /// Reads the node in `slot` from `graph`'s rows in `hnsw`, its vector from `embeddings` (or,
    /// for a tombstone, from its tombstone row). nil when the slot holds no node.
    static func read<T: ReadableTree>(
        slot: UInt32, graph: VectorGraphKey, space: EmbeddingSpace, hnsw: T, embeddings: T
    ) throws -> HNSWNodeState? {
        guard let rowBytes = try hnsw.get(graph.key(.node, slot: slot)) else { return nil }
        let context = "HNSW node \(slot) of \(graph.namespace)/\(graph.space)"
        let row = try HNSWNodeRow.decode(rowBytes, context: context)
        let vector: [Float]
        if row.tombstoneEpoch != nil {
            vector = try hnsw.withValue(forKey: graph.key(.tombstone, slot: slot)) { raw in
                guard let raw else { throw GraphError.corruption("\(context) is a tombstone without its tombstone row") }
                return try SpaceCodec.decode(vector: raw, dimension: space.dimension, context: context)
            }
        } else if let id = row.id {
            let raw = try embeddings.withValue(forKey: TupleKey(id, space.name).bytes) { raw in
                try raw.map { try SpaceCodec.decode(vector: $0, dimension: space.dimension, context: "vector of \(id) in \(space.name)") }
            }
            guard let raw else { throw GraphError.corruption("\(context) holds \(id), which has no vector in \(space.name)") }
            vector = VectorKernel.prepared(raw, metric: space.metric)
        } else {
            throw GraphError.corruption("\(context) is live without an id")
        }
        var neighbours: [[UInt32]] = []
        neighbours.reserveCapacity(row.level + 1)
        for level in 0...row.level {
            let list = try hnsw.withValue(forKey: graph.neighboursKey(slot: slot, level: level)) { raw in
                try raw.map { try HNSWNeighbourCodec.decode($0, context: "\(context), level \(level)") }
            }
            guard let list else { throw GraphError.corruption("\(context) has no neighbour list at level \(level)") }
            neighbours.append(list)
        }
        return HNSWNodeState(
            point: HNSWPoint(id: row.id, level: row.level, vector: vector), tombstoneEpoch: row.tombstoneEpoch,
            neighbours: neighbours)
    }
}
