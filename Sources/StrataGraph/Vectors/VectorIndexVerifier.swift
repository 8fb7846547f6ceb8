import StrataEngine

/// Checks every HNSW graph against its rows and the records (part of ``MemoryStore/verify()``):
/// the header's counters and parameters, each node's lists (every neighbour a node of the graph,
/// except in the lists of a tombstone the running pass is freeing),
/// live nodes ↔ the id rows ↔ the stored vectors ↔ the structural index's listing, tombstones
/// with their vectors, free slots empty, the entry point live on the top level; and counts the
/// live nodes not reachable from the entry point (search cannot return them; a rebuild links them).
struct VectorIndexVerifier<Source: GraphTreeSource> {
    let view: GraphView<Source>

    struct Report {
        var nodes = 0
        var unreachable = 0
        var problems: [String] = []
    }

    func run() throws -> Report {
        var report = Report()
        // A read-only open of a store written before the index existed: no index to check
        // (searches compare exactly; the first writable open builds it).
        guard view.hasHNSW else { return report }
        var graphs: Set<VectorGraphKey> = []
        for (graph, header) in try MemoryStore.graphs(in: view.hnsw) {
            graphs.insert(graph)
            try check(graph, header, into: &report)
        }
        // Every listed vector's graph has a header.
        let prefix = TupleKey(IndexKey.Tag.vector.rawValue).bytes
        var lower: KeyBound = .included(prefix)
        while true {
            var cursor = try view.index.range(lower, .after(prefix: prefix), reverse: false)
            guard let entry = try cursor.next() else { break }
            let key = try TupleKey(decoding: entry.key)
            let graph = VectorGraphKey(namespace: try key.value(at: 1), space: try key.value(at: 2))
            if !graphs.contains(graph) { report.problems.append("vectors of \(graph.namespace) in \(graph.space) have no HNSW graph") }
            lower = .after(prefix: TupleKey(IndexKey.Tag.vector.rawValue, graph.namespace, graph.space).bytes)
            if case .unbounded = lower { break }
        }
        return report
    }

    private func check(_ graph: VectorGraphKey, _ header: HNSWHeader, into report: inout Report) throws {
        let name = "HNSW graph \(graph.namespace)/\(graph.space)"
        func problem(_ text: String) { if report.problems.count < 100 { report.problems.append("\(name): \(text)") } }
        guard let space = try view.space(named: graph.space) else {
            problem("its space is not defined")
            return
        }
        if header.m < 2 || header.efConstruction < 1 || !(header.levelMultiplier > 0) { problem("parameters out of range") }
        var rows: [UInt32: HNSWNodeRow] = [:]
        var cursor = try view.hnsw.scan(prefix: graph.tagPrefix(.node))
        while let entry = try cursor.next() {
            let slot = try graph.slot(inKey: entry.key)
            do {
                rows[slot] = try HNSWNodeRow.decode(entry.value, context: "node \(slot)")
            } catch {
                problem("node \(slot) does not decode: \(error)")
            }
        }
        report.nodes += rows.count
        let live = rows.values.filter { $0.tombstoneEpoch == nil }.count
        if live != header.live { problem("\(live) live nodes, header says \(header.live)") }
        if rows.count - live != header.tombstones { problem("\(rows.count - live) tombstones, header says \(header.tombstones)") }
        // In a repair pass's free phase, the tombstones it frees (older than its epoch) may still
        // list the ones freed by its earlier batches: the rewire skips them and nothing reaches them.
        var freeingBefore: UInt64?
        if let bytes = try view.hnsw.get(graph.repairKey) {
            do {
                let progress = try HNSWRepairProgress.decode(bytes)
                if progress.phase == .free { freeingBefore = progress.epoch }
            } catch {
                problem("the repair progress does not decode: \(error)")
            }
        }
        var lists: [UInt32: [[UInt32]]] = [:]
        var listCursor = try view.hnsw.scan(prefix: graph.tagPrefix(.neighbours))
        while let entry = try listCursor.next() {
            let slot = try graph.slot(inKey: entry.key)
            let level = entry.key.count == graph.prefix.count + 6 ? Int(entry.key[entry.key.count - 1]) : -1
            guard let row = rows[slot], level >= 0, level <= row.level else {
                problem("neighbour list \(slot) level \(level) belongs to no node level")
                continue
            }
            let list = try entry.value.withUnsafeBytes { try HNSWNeighbourCodec.decode($0, context: "list \(slot)") }
            let freedThisPass = freeingBefore.map { pass in row.tombstoneEpoch.map { $0 < pass } ?? false } ?? false
            for neighbour in list where rows[neighbour] == nil && !freedThisPass || neighbour == slot {
                problem("node \(slot) level \(level) lists \(neighbour), which is \(neighbour == slot ? "itself" : "no node")")
            }
            if list.count > header.maxNeighbours(at: level) { problem("node \(slot) level \(level) has \(list.count) neighbours") }
            lists[slot, default: Array(repeating: [], count: row.level + 1)][level] = list
        }
        var listed = 0
        for (slot, row) in rows {
            if slot >= header.slotCount { problem("node \(slot) is past the slot count \(header.slotCount)") }
            let levels = (try? (0...row.level).map { try view.hnsw.contains(graph.neighboursKey(slot: slot, level: $0)) }) ?? []
            if levels.contains(false) { problem("node \(slot) lacks a neighbour list") }
            if let id = row.id {
                let slotBytes = try view.hnsw.get(graph.slotKey(of: id))
                if slotBytes.map({ $0.count == 4 ? VectorGraphKey.readSlot($0, at: 0) : UInt32.max }) != slot {
                    problem("live node \(slot) (\(id)) is not its id's slot")
                }
                if try view.embeddings.get(TupleKey(id, space.name).bytes)?.count != space.dimension * 4 {
                    problem("live node \(slot) (\(id)) has no vector of \(space.dimension) dimensions")
                }
                if try view.nodeHeader(id)?.namespace != graph.namespace { problem("live node \(slot) (\(id)) is not a node of the namespace") }
            } else if try view.hnsw.get(graph.key(.tombstone, slot: slot))?.count != space.dimension * 4 {
                problem("tombstone \(slot) has no tombstone vector")
            }
        }
        var idCursor = try view.hnsw.scan(prefix: graph.tagPrefix(.slotOfID))
        while let entry = try idCursor.next() {
            listed += 1
            let slot = entry.value.count == 4 ? VectorGraphKey.readSlot(entry.value, at: 0) : UInt32.max
            if rows[slot]?.id == nil { problem("an id row points at slot \(slot), which holds no live node") }
        }
        if listed != live { problem("\(listed) id rows for \(live) live nodes") }
        let listing = try view.indexedIDs(prefix: TupleKey(IndexKey.Tag.vector.rawValue, graph.namespace, graph.space)).count
        if listing != live { problem("\(listing) vectors listed, \(live) live nodes") }
        var free = 0
        var freeCursor = try view.hnsw.scan(prefix: graph.tagPrefix(.free))
        while let entry = try freeCursor.next() {
            free += 1
            let slot = try graph.slot(inKey: entry.key)
            if rows[slot] != nil || slot >= header.slotCount { problem("free slot \(slot) holds a node or is past the slot count") }
        }
        if free != header.free { problem("\(free) free slots, header says \(header.free)") }
        var tombstoneRows = 0
        var tombstoneCursor = try view.hnsw.scan(prefix: graph.tagPrefix(.tombstone))
        while let entry = try tombstoneCursor.next() {
            tombstoneRows += 1
            let slot = try graph.slot(inKey: entry.key)
            if rows[slot] == nil || rows[slot]?.id != nil { problem("tombstone row \(slot) has no tombstoned node") }
        }
        if tombstoneRows != header.tombstones { problem("\(tombstoneRows) tombstone rows, header says \(header.tombstones)") }
        // The entry point, and what it reaches.
        guard let entry = header.entry else {
            if live > 0 { problem("no entry point for \(live) live nodes") }
            return
        }
        guard let entryRow = rows[entry], entryRow.id != nil, entryRow.level == header.maxLevel else {
            problem("the entry point \(entry) is not a live node on level \(header.maxLevel)")
            return
        }
        var seen: Set<UInt32> = [entry]
        var pending = [entry]
        while let slot = pending.popLast() {
            for list in lists[slot] ?? [] {
                for neighbour in list where rows[neighbour] != nil && seen.insert(neighbour).inserted { pending.append(neighbour) }
            }
        }
        report.unreachable += rows.filter { $0.value.id != nil && !seen.contains($0.key) }.count
    }
}
