#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

/// Writes rows of an fvecs file into a memory store: one custom-kind node per vector (id
/// `<prefix><row>`) and its vector, in transactions of `batchSize` nodes, each durable (synced)
/// when it commits. `strata vectors import` and `strata vectors bench` share it.
public struct VectorLoader: Sendable {
    /// The store written to.
    public let store: MemoryStore
    /// The space the vectors go into (defined by the first transaction if missing).
    public let space: EmbeddingSpace
    /// The namespace of the nodes.
    public let namespace: String
    /// Nodes per durable transaction.
    public var batchSize: Int
    /// The custom kind of row `index`'s node (the bench gives each a bucket).
    public var kind: @Sendable (Int) -> String = { _ in "vector" }

    /// A loader of `space`'s vectors into `namespace` of `store`, `batchSize` per transaction.
    public init(store: MemoryStore, space: EmbeddingSpace, namespace: String, batchSize: Int = 1000) {
        self.store = store
        self.space = space
        self.namespace = namespace
        self.batchSize = max(1, batchSize)
    }

    /// The node id of row `index`.
    public static func id(_ index: Int, prefix: String = "v") -> NodeID {
        NodeID("\(prefix)\(index)")
    }

    /// The row of an id `<prefix><row>` made by ``id(_:prefix:)`` (any one-letter prefix), or nil.
    public static func row(of id: NodeID) -> Int? {
        guard case .name(let name) = id, name.count >= 2 else { return nil }
        return Int(name.dropFirst())
    }

    /// Refuses, before anything is written, what the store would refuse half-way through: a
    /// space of that name with another model, dimension or metric (`dimensionMismatch`), an id
    /// that already exists (`duplicateID`).
    public func checkFits(_ rows: VectorRows<Float>, indices: some Sequence<Int>, prefix: String = "v") throws {
        try store.read { reader in
            if let existing = try reader.space(named: space.name), existing != space {
                throw StrataError(
                    .dimensionMismatch,
                    "space \(space.name) holds \(existing.dimension)-dimensional \(existing.metric) vectors of model "
                        + "\(existing.model); the file has \(space.dimension) dimensions and \(space.metric) was asked for")
            }
            for index in indices {
                if try reader.node(Self.id(index, prefix: prefix)) != nil {
                    throw StrataError(
                        .duplicateID,
                        "node \(Self.id(index, prefix: prefix)) already exists (ids are store-wide, whatever the namespace); "
                            + "import into a store that does not hold these ids")
                }
            }
        }
    }

    /// Stores rows `indices` (defining the space in the first transaction); `progress` gets the
    /// count written after each batch. Run ``checkFits(_:indices:prefix:)`` first: a batch the
    /// store refuses is not written, but the batches before it stay.
    public func load(
        _ rows: VectorRows<Float>, indices: [Int], prefix: String = "v", progress: (Int) -> Void = { _ in }
    ) throws {
        var written = 0
        var start = 0
        let created = Date(timeIntervalSince1970: 1_767_225_600)  // fixed: the nodes' times carry no meaning here
        while start < indices.count {
            let batch = indices[start..<min(start + batchSize, indices.count)]
            try store.write(durability: .synced) { graph in
                if start == 0 { try graph.define(space) }
                for index in batch {
                    let id = Self.id(index, prefix: prefix)
                    try graph.insert(Node(id: id, namespace: namespace, createdAt: created, .custom(CustomNode(kind: kind(index)))))
                    try graph.setVector(rows[index], for: id, in: space.name)
                }
            }
            written += batch.count
            start += batchSize
            progress(written)
        }
    }

    /// Deletes the nodes of rows `indices` (and so their vectors), `batchSize` per durable transaction.
    public func delete(indices: [Int], prefix: String = "v") throws {
        var start = 0
        while start < indices.count {
            let batch = indices[start..<min(start + batchSize, indices.count)]
            try store.write(durability: .synced) { graph in
                _ = try graph.delete(contentsOf: batch.map { Self.id($0, prefix: prefix) })
            }
            start += batchSize
        }
    }
}
