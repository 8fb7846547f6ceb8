import StrataEngine

/// Where a repair pass of one graph stands (the graph's repair row, written in each batch's own
/// transaction): the pass's epoch, its phase, and the next slot to look at.
struct HNSWRepairProgress: Equatable {
    enum Phase: UInt8 {
        /// Rewiring every node's lists around the tombstones older than the pass.
        case rewire = 1
        /// Freeing those tombstones.
        case free = 2
    }

    var epoch: UInt64
    var phase: Phase
    var next: UInt32

    func encode() -> [UInt8] {
        var writer = RecordWriter(capacity: 12)
        writer.varint(epoch)
        writer.byte(phase.rawValue)
        writer.varint(UInt64(next))
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> HNSWRepairProgress {
        var reader = RecordReader(bytes, context: "HNSW repair progress")
        let epoch = try reader.varint()
        guard let phase = Phase(rawValue: try reader.byte()) else { throw reader.failure("repair phase") }
        let next = try reader.varint()
        guard next <= UInt64(UInt32.max) else { throw reader.failure("repair slot") }
        try reader.finish()
        return HNSWRepairProgress(epoch: epoch, phase: phase, next: UInt32(next))
    }
}

/// Tombstone repair (FreshDiskANN's consolidation): a pass raises the graph's repair epoch, then
/// rewires every node whose lists hold a tombstone older than the pass — a live node replaces
/// it by its live neighbours and prunes the union back with the HNSW heuristic; a newer
/// tombstone just drops it — then frees those tombstones (their rows go, their slots join the
/// free list). Inserts never link to a tombstone, so once the rewire has passed a node it never
/// points at an old tombstone again. Each batch is one transaction that records the progress.
extension HNSWGraphWriter {
    /// Does one batch of at most `batchSize` nodes (or tombstones). Returns whether the graph
    /// still has repair work (a pass under way, or tombstones left).
    func repairBatch(batchSize: Int) throws -> Bool {
        var progress: HNSWRepairProgress
        if let bytes = try view.hnsw.get(graph.repairKey) {
            progress = try HNSWRepairProgress.decode(bytes)
        } else {
            guard header.tombstones > 0 else { return false }
            header.repairEpoch += 1
            markHeader()
            progress = HNSWRepairProgress(epoch: header.repairEpoch, phase: .rewire, next: 0)
        }
        let phasePrefix = graph.tagPrefix(progress.phase == .rewire ? .node : .tombstone)
        var cursor = try view.hnsw.range(
            .included(graph.key(progress.phase == .rewire ? .node : .tombstone, slot: progress.next)),
            .after(prefix: phasePrefix), reverse: false)
        var slots: [UInt32] = []
        while slots.count < batchSize, let entry = try cursor.next() { slots.append(try graph.slot(inKey: entry.key)) }
        let finished = slots.count < batchSize
        for slot in slots {
            switch progress.phase {
            case .rewire: try rewire(slot, epoch: progress.epoch)
            case .free:
                if let state = try node(slot), let epoch = state.tombstoneEpoch, epoch < progress.epoch { try free(slot) }
            }
        }
        if let last = slots.last { progress.next = last &+ 1 }
        var more = true
        if finished || slots.last == UInt32.max {
            if progress.phase == .rewire {
                progress = HNSWRepairProgress(epoch: progress.epoch, phase: .free, next: 0)
            } else {
                setRow(graph.repairKey, nil)
                more = header.tombstones > 0
                try flush()
                return more
            }
        }
        setRow(graph.repairKey, progress.encode())
        try flush()
        return more
    }

    /// Removes every reference from `slot`'s lists to a tombstone older than `epoch` (or to an
    /// empty slot); a live node takes the live neighbours of each removed one as candidates.
    private func rewire(_ slot: UInt32, epoch: UInt64) throws {
        guard var state = try node(slot) else { return }
        if let own = state.tombstoneEpoch, own < epoch { return }  // freed by this pass
        var changed: [Int] = []
        for level in state.neighbours.indices {
            let list = state.neighbours[level]
            var kept: [UInt32] = []
            var stale: [HNSWNodeState] = []
            for neighbour in list {
                guard let other = try node(neighbour) else { continue }
                if let theirs = other.tombstoneEpoch, theirs < epoch { stale.append(other) } else { kept.append(neighbour) }
            }
            guard kept.count != list.count else { continue }
            if state.isLive {
                var candidates = kept
                var seen = Set(kept)
                seen.insert(slot)
                for removed in stale where level < removed.neighbours.count {
                    for candidate in removed.neighbours[level] where seen.insert(candidate).inserted {
                        if let other = try node(candidate), other.isLive { candidates.append(candidate) }
                    }
                }
                kept = try pruned(candidates, around: state.point.vector, limit: header.maxNeighbours(at: level))
            }
            state.neighbours[level] = kept
            changed.append(level)
        }
        if !changed.isEmpty { replace(slot, with: state, nodeRow: false, levels: changed) }
    }
}
