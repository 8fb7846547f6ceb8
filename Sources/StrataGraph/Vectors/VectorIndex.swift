import StrataEngine
import Synchronization

/// The store's vector index: its configuration, its tree and the search caches of its graphs.
final class VectorIndex: Sendable {
    let configuration: VectorIndexConfiguration
    let usage: VectorCacheUsage
    private let caches = Mutex<[VectorGraphKey: HNSWGraphCache]>([:])

    init(configuration: VectorIndexConfiguration) {
        self.configuration = configuration
        self.usage = VectorCacheUsage(budget: configuration.cacheBytes)
    }

    /// The cache of `graph` (made empty on first use: nothing is loaded when a store opens).
    func cache(for graph: VectorGraphKey) -> HNSWGraphCache {
        caches.withLock { caches in
            if let cache = caches[graph] { return cache }
            let cache = HNSWGraphCache(usage: usage)
            caches[graph] = cache
            return cache
        }
    }

    /// The bytes every graph's cache holds.
    var cacheBytes: Int { usage.bytes.load(ordering: .relaxed) }
}

/// The vector index's part of one ``GraphTransaction``: a writer per graph it touches.
final class VectorIndexTransaction {
    let index: VectorIndex
    let transaction: Transaction
    let view: GraphView<Transaction>
    private var writers: [VectorGraphKey: HNSWGraphWriter] = [:]
    private var order: [VectorGraphKey] = []

    init(index: VectorIndex, transaction: Transaction, view: GraphView<Transaction>) {
        self.index = index
        self.transaction = transaction
        self.view = view
    }

    /// The writer of the graph of `namespace` in `space`.
    func writer(namespace: String, space: EmbeddingSpace) throws -> HNSWGraphWriter {
        let graph = VectorGraphKey(namespace: namespace, space: space.name)
        if let writer = writers[graph] { return writer }
        let writer = try HNSWGraphWriter(
            graph: graph, space: space, transaction: transaction, tree: try view.trees.hnsw, view: view, cache: index.cache(for: graph),
            configuration: index.configuration)
        writers[graph] = writer
        order.append(graph)
        return writer
    }

    /// Writes every graph's changed rows (at the end of the transaction's body). Returns the
    /// graphs whose tombstones passed the consolidation threshold.
    func flush() throws -> [VectorGraphKey] {
        var due: [VectorGraphKey] = []
        for graph in order {
            guard let writer = writers[graph], writer.hasChanges else { continue }
            try writer.flush()
            let header = writer.header
            let nodes = header.live + header.tombstones
            if nodes > 0, Double(header.tombstones) >= index.configuration.consolidationThreshold * Double(nodes) {
                due.append(graph)
            }
        }
        return due
    }
}
