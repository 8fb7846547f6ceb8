import StrataEngine

/// One graph's changes inside one transaction: the overlay of every node read or changed, the
/// header, and the rows to write. Inserts and deletes edit the overlay; ``flush()`` writes each
/// changed row once, at the end of the transaction, and registers the cache update for after the
/// commit (ARCHITECTURE.md, "Vector index").
final class HNSWGraphWriter {
    let graph: VectorGraphKey
    let space: EmbeddingSpace
    let transaction: Transaction
    let tree: Tree
    let view: GraphView<Transaction>
    let cache: HNSWGraphCache

    var header: HNSWHeader
    private var headerDirty = false
    /// Every node read from the rows or changed, and the slots freed (the states as this
    /// transaction leaves them).
    private(set) var overlay = HNSWOverlay()
    /// Slots whose node this transaction removed (freed by a repair).
    private var removed: Set<UInt32> = []
    /// The walks' working memory, from one insert to the next.
    private var scratch = HNSWSearchScratch()
    /// The neighbour selection's vectors: the kept ones, then the candidate.
    var selection: [Float] = []
    /// One vector being measured.
    var probe: [Float] = []
    private var dirtyNodes: Set<UInt32> = []
    /// (slot << 8 | level) of each neighbour list to write.
    private var dirtyLists: Set<UInt64> = []
    /// Other rows to write (nil: remove): id → slot, tombstones, free slots, repair progress.
    private var rows: [[UInt8]: [UInt8]?] = [:]
    private var slotOfID: [NodeID: UInt32?] = [:]
    /// Free slots taken by this transaction, and the last free row looked at.
    private var freeAfter: [UInt8]?

    init(graph: VectorGraphKey, space: EmbeddingSpace, transaction: Transaction, tree: Tree,
         view: GraphView<Transaction>, cache: HNSWGraphCache, configuration: VectorIndexConfiguration) throws {
        self.graph = graph
        self.space = space
        self.transaction = transaction
        self.tree = tree
        self.view = view
        self.cache = cache
        if let bytes = try view.hnsw.get(graph.headerKey) {
            header = try HNSWHeader.decode(bytes, context: "HNSW header of \(graph.namespace)/\(graph.space)")
        } else {
            header = HNSWHeader(configuration: configuration)
            headerDirty = true
        }
    }

    /// Whether flushing would write anything.
    var hasChanges: Bool { headerDirty || !dirtyNodes.isEmpty || !dirtyLists.isEmpty || !rows.isEmpty || !removed.isEmpty }

    // MARK: Reading

    func node(_ slot: UInt32) throws -> HNSWNodeState? {
        if overlay.holds(slot) { return overlay[slot] }
        if let cached = cache.state.withLock({ $0.entry(slot, at: .max) }) {
            overlay.set(slot, cached)
            return cached
        }
        guard let state = try HNSWNodeState.read(slot: slot, graph: graph, space: space, hnsw: view.hnsw, embeddings: view.embeddings)
        else { return nil }
        overlay.set(slot, state)
        return state
    }

    /// The live slot holding `id`'s vector, or nil.
    func liveSlot(of id: NodeID) throws -> UInt32? {
        if let known = slotOfID[id] { return known }
        let slot = try view.hnsw.get(graph.slotKey(of: id)).map { bytes -> UInt32 in
            guard bytes.count == 4 else { throw GraphError.corruption("HNSW slot of \(id) has \(bytes.count) bytes") }
            return VectorGraphKey.readSlot(bytes, at: 0)
        }
        slotOfID[id] = .some(slot)
        return slot
    }

    func setRow(_ key: [UInt8], _ value: [UInt8]?) { rows[key] = .some(value) }

    func markHeader() { headerDirty = true }

    func replace(_ slot: UInt32, with state: HNSWNodeState, nodeRow: Bool, levels: some Sequence<Int>) {
        overlay.set(slot, state)
        if nodeRow { dirtyNodes.insert(slot) }
        for level in levels { dirtyLists.insert(UInt64(slot) << 8 | UInt64(level)) }
    }

    // MARK: Insert and delete

    /// Indexes `vector` (as given; prepared here) as `id`'s, tombstoning its previous slot.
    func set(_ vector: [Float], for id: NodeID) throws {
        if let old = try liveSlot(of: id) { try tombstone(old) }
        try insert(id: id, vector: VectorKernel.prepared(vector, metric: space.metric))
    }

    /// Tombstones `id`'s slot, if it has one. Returns whether it had.
    @discardableResult
    func remove(_ id: NodeID) throws -> Bool {
        guard let slot = try liveSlot(of: id) else { return false }
        try tombstone(slot)
        return true
    }

    private func insert(id: NodeID, vector: [Float]) throws {
        try vector.withUnsafeBufferPointer { try insert(id: id, vector: vector, query: $0) }
    }

    private func insert(id: NodeID, vector: [Float], query: UnsafeBufferPointer<Float>) throws {
        let level = HNSWLevel.draw(for: id, multiplier: header.levelMultiplier)
        let slot = try allocateSlot()
        let state = HNSWNodeState(
            point: HNSWPoint(id: id, level: level, vector: vector), tombstoneEpoch: nil,
            neighbours: Array(repeating: [], count: level + 1))
        replace(slot, with: state, nodeRow: true, levels: 0...level)
        slotOfID[id] = .some(slot)
        var slotBytes: [UInt8] = []
        VectorGraphKey.appendSlot(slot, to: &slotBytes)
        setRow(graph.slotKey(of: id), slotBytes)
        header.live += 1
        headerDirty = true
        guard let entry = header.entry else {
            header.entry = slot
            header.maxLevel = level
            return
        }
        var search = HNSWWriterSearch(writer: self, query: query, scratch: HNSWSearchScratch())
        swap(&search.scratch, &scratch)
        defer { swap(&search.scratch, &scratch) }
        guard let start = try search.score(entry) else {
            header.entry = slot
            header.maxLevel = level
            return
        }
        let slots = Int(header.slotCount)
        var entries = [try HNSWWalk.descend(&search, from: start, top: header.maxLevel, bottom: level, slots: slots)]
        for layer in stride(from: min(level, header.maxLevel), through: 0, by: -1) {
            let found = try HNSWWalk.searchLayer(&search, entries: entries, ef: header.efConstruction, level: layer, slots: slots) {
                $0.slot != slot && $0.live
            }
            let selected = try selectNeighbours(found.nearest, limit: header.m)
            overlay.modify(slot) { $0.neighbours[layer] = selected }
            for neighbour in selected { try link(neighbour, to: slot, level: layer) }
            if !found.nearest.isEmpty {
                entries = found.nearest.map { HNSWScored(slot: $0.slot, distance: $0.distance, live: true, id: nil) }
            }
        }
        if level > header.maxLevel {
            header.entry = slot
            header.maxLevel = level
        }
    }

    /// Adds `slot` to `neighbour`'s list at `level`, shrinking the list with the heuristic (and
    /// dropping tombstones) when it is over its size.
    private func link(_ neighbour: UInt32, to slot: UInt32, level: Int) throws {
        let pruned: [UInt32]?
        do {
            guard let state = try node(neighbour), level < state.neighbours.count, !state.neighbours[level].contains(slot) else { return }
            let limit = header.maxNeighbours(at: level)
            pruned = state.neighbours[level].count >= limit
                ? try self.pruned(state.neighbours[level] + [slot], around: state.point.vector, limit: limit) : nil
        }
        overlay.modify(neighbour) { state in
            if let pruned { state.neighbours[level] = pruned } else { state.neighbours[level].append(slot) }
        }
        dirtyLists.insert(UInt64(neighbour) << 8 | UInt64(level))
    }

    /// Marks `slot` deleted: never returned again, never the entry point, its vector kept in its
    /// tombstone row until a repair frees it.
    private func tombstone(_ slot: UInt32) throws {
        guard var state = try node(slot) else { throw GraphError.corruption("HNSW slot \(slot) of \(graph.space) is empty") }
        guard state.isLive else { return }
        state.tombstoneEpoch = header.repairEpoch
        replace(slot, with: state, nodeRow: true, levels: [])
        setRow(graph.key(.tombstone, slot: slot), SpaceCodec.encode(vector: state.point.vector))
        if let id = state.point.id {
            setRow(graph.slotKey(of: id), nil)
            slotOfID[id] = .some(nil)
        }
        header.live -= 1
        header.tombstones += 1
        headerDirty = true
        if header.entry == slot { try chooseEntry(replacing: state) }
    }

    /// A new entry point after the old one (`old`) was deleted: a live neighbour on its highest
    /// layer that has one, else the live node with the highest level (a scan of the node rows).
    private func chooseEntry(replacing old: HNSWNodeState) throws {
        for level in stride(from: old.point.level, through: 0, by: -1) where level == header.maxLevel {
            var best: (slot: UInt32, level: Int)?
            for neighbour in old.neighbours[level] {
                if let state = try node(neighbour), state.isLive, state.point.level > (best?.level ?? -1) {
                    best = (neighbour, state.point.level)
                }
            }
            if let best {
                header.entry = best.slot
                header.maxLevel = best.level
                return
            }
        }
        var best: (slot: UInt32, level: Int)?
        func consider(_ slot: UInt32, _ state: HNSWNodeState) {
            guard state.isLive, state.point.level > (best?.level ?? -1) || (state.point.level == best?.level && slot < best!.slot) else { return }
            best = (slot, state.point.level)
        }
        for (slot, state) in overlay.entries { consider(slot, state) }
        var cursor = try view.hnsw.scan(prefix: graph.tagPrefix(.node))
        while let entry = try cursor.next() {
            let slot = try graph.slot(inKey: entry.key)
            guard !overlay.holds(slot) else { continue }
            let row = try HNSWNodeRow.decode(entry.value, context: "HNSW node \(slot)")
            if row.tombstoneEpoch == nil, row.level > (best?.level ?? -1) { best = (slot, row.level) }
        }
        header.entry = best?.slot
        header.maxLevel = best?.level ?? 0
    }

    private func allocateSlot() throws -> UInt32 {
        if header.free > 0 {
            let prefix = graph.tagPrefix(.free)
            let lower: KeyBound = freeAfter.map { .excluded($0) } ?? .included(prefix)
            var cursor = try view.hnsw.range(lower, .after(prefix: prefix), reverse: false)
            if let entry = try cursor.next() {
                freeAfter = entry.key
                let slot = try graph.slot(inKey: entry.key)
                setRow(entry.key, nil)
                header.free -= 1
                removed.remove(slot)
                overlay.unfree(slot)
                return slot
            }
        }
        guard header.slotCount < UInt32.max - 1 else {
            throw StrataError(.invalidArgument, "the vector index of \(graph.namespace)/\(graph.space) has no slot left")
        }
        defer { header.slotCount += 1 }
        return header.slotCount
    }

    // MARK: Repair support

    /// Frees a tombstone: its rows go, its slot joins the free list.
    func free(_ slot: UInt32) throws {
        guard let state = try node(slot), !state.isLive else { return }
        for level in 0...state.point.level {
            setRow(graph.neighboursKey(slot: slot, level: level), nil)
            dirtyLists.remove(UInt64(slot) << 8 | UInt64(level))
        }
        setRow(graph.key(.node, slot: slot), nil)
        dirtyNodes.remove(slot)
        setRow(graph.key(.tombstone, slot: slot), nil)
        setRow(graph.key(.free, slot: slot), [])
        overlay.free(slot)
        removed.insert(slot)
        header.tombstones -= 1
        header.free += 1
        headerDirty = true
    }

    // MARK: Flush

    /// Writes every changed row, and registers the cache update for after the commit.
    func flush() throws {
        guard hasChanges else { return }
        if headerDirty { try transaction.insert(header.encode(), forKey: graph.headerKey, in: tree) }
        var changed = Set<UInt32>()
        for slot in dirtyNodes {
            guard let state = overlay[slot] else { continue }
            let row = HNSWNodeRow(level: state.point.level, tombstoneEpoch: state.tombstoneEpoch, id: state.point.id)
            try transaction.insert(row.encode(), forKey: graph.key(.node, slot: slot), in: tree)
            changed.insert(slot)
        }
        for item in dirtyLists {
            let slot = UInt32(item >> 8)
            let level = Int(item & 0xFF)
            guard let state = overlay[slot] else { continue }
            try transaction.insert(HNSWNeighbourCodec.encode(state.neighbours[level]), forKey: graph.neighboursKey(slot: slot, level: level), in: tree)
            changed.insert(slot)
        }
        for (key, value) in rows {
            if let value { try transaction.insert(value, forKey: key, in: tree) } else { try transaction.remove(key, from: tree) }
        }
        changed.formUnion(removed)
        cache.markPending(changed)
        let published = overlay.entries
        let cache = self.cache
        try transaction.afterCommit { sequence in cache.commit(sequence, states: published) }
        headerDirty = false
        dirtyNodes.removeAll()
        dirtyLists.removeAll()
        rows.removeAll()
    }
}
