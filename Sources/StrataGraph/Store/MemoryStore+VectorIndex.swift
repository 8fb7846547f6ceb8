import StrataEngine

/// What one HNSW graph holds (``MemoryStore/vectorIndexStatistics()``).
public struct VectorIndexStatistics: Sendable, Equatable {
    public var namespace: String
    public var space: String
    /// Live nodes (one per vector of the namespace in the space).
    public var live: Int
    /// Deleted nodes awaiting repair.
    public var tombstones: Int
    /// Slots freed by repair, waiting for reuse.
    public var freeSlots: Int
    /// Layers (the entry point's level + 1; 0 for an empty graph).
    public var levels: Int
    /// The graph's parameters, as stored with it.
    public var m: Int
    public var efConstruction: Int
}

extension MemoryStore {
    /// Every HNSW graph's counts, from its header row, on one snapshot (none in a read-only
    /// open of a store written before the index existed: its searches compare exactly).
    public func vectorIndexStatistics() throws -> [VectorIndexStatistics] {
        let view = try trees.view(database.snapshot())
        guard view.hasHNSW else { return [] }
        return try Self.vectorIndexStatistics(in: view.hnsw)
    }

    static func vectorIndexStatistics<T: ReadableTree>(in hnsw: T) throws -> [VectorIndexStatistics] {
        try graphs(in: hnsw).map { graph, header in
            VectorIndexStatistics(
                namespace: graph.namespace, space: graph.space, live: header.live, tombstones: header.tombstones,
                freeSlots: header.free, levels: header.entry == nil ? 0 : header.maxLevel + 1, m: header.m,
                efConstruction: header.efConstruction)
        }
    }

    /// The bytes the vector search cache holds now (decoded vectors and neighbour lists).
    public var vectorCacheBytes: Int { vectorIndex.cacheBytes }

    /// Every graph with a header in `hnsw`, in key order.
    static func graphs<T: ReadableTree>(in hnsw: T) throws -> [(VectorGraphKey, HNSWHeader)] {
        var result: [(VectorGraphKey, HNSWHeader)] = []
        var lower: KeyBound = .unbounded
        while true {
            var cursor = try hnsw.range(lower, .unbounded, reverse: false)
            guard let entry = try cursor.next() else { return result }
            guard let graph = VectorGraphKey.graph(ofRowKey: entry.key) else {
                throw GraphError.corruption("HNSW row key \(entry.key) does not start with (namespace, space)")
            }
            if let bytes = try hnsw.get(graph.headerKey) {
                result.append((graph, try HNSWHeader.decode(bytes, context: "HNSW header of \(graph.namespace)/\(graph.space)")))
            }
            lower = .after(prefix: graph.prefix)
            if case .unbounded = lower { return result }
        }
    }

    // MARK: Repair

    /// Repairs every graph's tombstones completely: rewires their neighbours and frees their
    /// slots, in transactions of at most `batchSize` nodes, each recording its progress (a repair
    /// cut short resumes where it stood, at the next write or call). Returns the batches run.
    ///
    /// - Throws: `invalidField` for a batch size < 1; `conflict` while a rebuild runs.
    @discardableResult
    public func repairVectorIndex(batchSize: Int? = nil) throws -> Int {
        try repairVectorIndex(batchSize: batchSize, maxBatches: .max)
    }

    /// ``repairVectorIndex(batchSize:)`` stopping after `maxBatches` batches (to test a repair cut short).
    @_spi(Testing) @discardableResult
    public func repairVectorIndex(batchSize: Int?, maxBatches: Int) throws -> Int {
        try repairVectorIndex(batchSize: batchSize, maxBatches: maxBatches, beforeEachTransaction: {})
    }

    /// ``repairVectorIndex(batchSize:maxBatches:)`` calling `beforeEachTransaction` before each
    /// batch's transaction, so that a crash campaign can record the state after each.
    @_spi(Testing) @discardableResult
    public func repairVectorIndex(batchSize: Int?, maxBatches: Int, beforeEachTransaction: () -> Void) throws -> Int {
        let batchSize = batchSize ?? configuration.vectorIndex.repairBatchSize
        guard batchSize >= 1 else { throw GraphError.invalidField("batchSize", "\(batchSize) must be at least 1") }
        var batches = 0
        for (graph, _) in try Self.graphs(in: trees.hnsw) {
            while batches < maxBatches {
                batches += 1
                beforeEachTransaction()
                guard try repairBatch(graph, batchSize: batchSize) else { break }
            }
        }
        return batches
    }

    /// One repair batch of `graph` in its own transaction. Returns whether work is left.
    @discardableResult
    func repairBatch(_ graph: VectorGraphKey, batchSize: Int? = nil, durability: Durability? = nil) throws -> Bool {
        try database.write(durability: durability) { transaction in
            if maintenanceRunning { throw StrataError(.conflict, "the memory store's indexes are being rebuilt") }
            let view = trees.view(transaction)
            guard let space = try view.space(named: graph.space), try view.hnsw.contains(graph.headerKey) else { return false }
            let writer = try HNSWGraphWriter(
                graph: graph, space: space, transaction: transaction, tree: trees.hnsw, view: view,
                cache: vectorIndex.cache(for: graph), configuration: configuration.vectorIndex)
            return try writer.repairBatch(batchSize: batchSize ?? configuration.vectorIndex.repairBatchSize)
        }
    }

    // MARK: Rebuild

    /// Rebuilds the HNSW graph of `namespace` in `space` from the stored vectors (with the
    /// configuration's parameters), in transactions of at most `batchSize` vectors; writes wait
    /// (throw `conflict`) until it returns. A rebuild cut short is redone when the store is next
    /// opened writable; until then searches of that graph compare exactly.
    ///
    /// - Throws: `missingRecord` for an unknown space; `conflict` if a rebuild is running.
    public func rebuildVectorIndex(space: String, namespace: String, batchSize: Int = 1000) throws {
        guard batchSize >= 1 else { throw GraphError.invalidField("batchSize", "\(batchSize) must be at least 1") }
        guard try trees.view(database.snapshot()).space(named: space) != nil else { throw GraphError.missing("embedding space \(space)") }
        try beginMaintenance()
        defer { endMaintenance() }
        try rebuildGraph(VectorGraphKey(namespace: namespace, space: space), batchSize: batchSize)
    }

    /// The `graph.meta` key marking a graph's rebuild under way.
    static func rebuildMarker(_ graph: VectorGraphKey) -> [UInt8] { TupleKey("hnsw.rebuild", graph.namespace, graph.space).bytes }

    /// Drops `graph`'s rows and inserts every vector the structural index lists for it.
    func rebuildGraph(_ graph: VectorGraphKey, batchSize: Int) throws {
        let cache = vectorIndex.cache(for: graph)
        // 1. Mark the rebuild, drop the header (searches compare exactly from now on).
        try database.write { tx in
            try tx.insert([], forKey: Self.rebuildMarker(graph), in: trees.meta)
            let slots = try tx[trees.hnsw].get(graph.headerKey).map { try HNSWHeader.decode($0, context: "HNSW header").slotCount } ?? 0
            try tx.remove(graph.headerKey, from: trees.hnsw)
            cache.markPending(0..<max(slots, UInt32(cache.state.withLock { $0.slotCapacity })))
            try tx.afterCommit { sequence in cache.commit(sequence, states: []) }
        }
        // 2. Drop its other rows.
        while true {
            let done = try database.write { tx -> Bool in
                var cursor = try tx[trees.hnsw].scan(prefix: graph.prefix)
                var removed = 0
                while removed < 8 * batchSize, let entry = try cursor.next() {
                    try tx.remove(entry.key, from: trees.hnsw)
                    removed += 1
                }
                return removed < 8 * batchSize
            }
            if done { break }
        }
        // 3. Insert the vectors, in key order of the listing.
        let listing = TupleKey(IndexKey.Tag.vector.rawValue, graph.namespace, graph.space)
        var after: [UInt8]?
        while true {
            let next = try database.write { tx -> [UInt8]? in
                let view = trees.view(tx)
                guard let space = try view.space(named: graph.space) else { return nil }
                let writer = try HNSWGraphWriter(
                    graph: graph, space: space, transaction: tx, tree: trees.hnsw, view: view, cache: cache,
                    configuration: configuration.vectorIndex)
                var cursor = try view.index.range(
                    after.map { .excluded($0) } ?? .included(listing.bytes), .after(prefix: listing.bytes),
                    reverse: false)
                var last: [UInt8]?
                var count = 0
                while count < batchSize, let entry = try cursor.next() {
                    let id = try IndexKey.id(in: entry.key)
                    if let vector = try view.vector(of: id, in: space) { try writer.set(vector, for: id) }
                    last = entry.key
                    count += 1
                }
                writer.markHeader()
                try writer.flush()
                return count == batchSize ? last : nil
            }
            guard let next else { break }
            after = next
        }
        try database.write { tx in try tx.remove(Self.rebuildMarker(graph), from: trees.meta) }
    }

    /// At open: redoes the rebuilds a crash cut short, and builds the index of a store made before
    /// it existed (vectors stored, no HNSW row).
    func buildMissingVectorIndex() throws {
        guard !database.isReadOnly else { return }
        var graphs: [VectorGraphKey] = []
        var markers = try trees.meta.scan(prefix: TupleKey.prefix("hnsw.rebuild"))
        while let entry = try markers.next() {
            let key = try TupleKey(decoding: entry.key)
            graphs.append(VectorGraphKey(namespace: try key.value(at: 1), space: try key.value(at: 2)))
        }
        if graphs.isEmpty, try trees.hnsw.isEmpty, try !trees.embeddings.isEmpty {
            let prefix = TupleKey(IndexKey.Tag.vector.rawValue).bytes
            var lower: KeyBound = .included(prefix)
            while true {
                var cursor = try trees.index.range(lower, .after(prefix: prefix), reverse: false)
                guard let entry = try cursor.next() else { break }
                let key = try TupleKey(decoding: entry.key)
                let graph = VectorGraphKey(namespace: try key.value(at: 1), space: try key.value(at: 2))
                graphs.append(graph)
                lower = .after(prefix: TupleKey(IndexKey.Tag.vector.rawValue, graph.namespace, graph.space).bytes)
                if case .unbounded = lower { break }
            }
        }
        guard !graphs.isEmpty else { return }
        try beginMaintenance()
        defer { endMaintenance() }
        for graph in graphs { try rebuildGraph(graph, batchSize: 1000) }
    }
}
