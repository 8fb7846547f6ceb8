#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

/// Records due to move from one tier to another (``TieredMemoryStore/plannedMoves(limit:)``).
public struct PlannedMove: Hashable, Sendable {
    /// The tier holding the records.
    public var source: Tier
    /// The tier they belong in now.
    public var target: Tier
    /// The records, whole units (a root and what hangs off it), owners first.
    public var ids: [NodeID]
}

/// What ``TieredMemoryStore/migrate(maxBatches:progress:)`` did.
public struct MigrationProgress: Hashable, Sendable {
    /// Batches moved by this call.
    public var batches = 0
    /// Records moved by this call.
    public var records = 0
    /// Batches an earlier failure of this process left journaled, finished (or undone) by this
    /// call before it moved anything (recovery at open handles those of a crash).
    public var recovered = 0
    /// Whether records were still due when the call returned.
    public var remaining = false
}

extension TieredMemoryStore {
    /// The units due to move at the clock's now, grouped in batches of at most
    /// ``Configuration/moveBatchSize`` records (a larger unit is a batch alone), at most `limit` batches.
    /// A unit's age runs from its newest record's `createdAt` or latest recorded access, whichever
    /// is later; it goes to the tier that age belongs in (an archive: its newest record's quarter).
    /// With ``Configuration/activeCapacity``, the active units coldest by
    /// ``Configuration/evictionStrategy`` then go to `recent` until active holds at most that many records.
    public func plannedMoves(limit: Int = .max) throws -> [PlannedMove] {
        let now = configuration.clock()
        var batches: [PlannedMove] = []
        for source in [Tier.active, .recent] {
            let cutoff = now.addingTimeInterval(-(source == .active ? configuration.activeAge : configuration.recentAge))
            let units: [(target: Tier, ids: [NodeID])] = try withTier(source) { store in
                let reader = try store.reader(includingExpired: true)
                var seen: Set<NodeID> = []
                var units: [(Tier, [NodeID])] = []
                for id in try Self.idsCreated(before: cutoff, in: store) where !seen.contains(id) {
                    guard try owns(source, id) else { continue }
                    var root = id
                    while let owner = try reader.export(root)?.node().content.owners.first(where: { try reader.export($0) != nil }) {
                        root = owner
                    }
                    let unit = try reader.unit(of: root)
                    seen.formUnion(unit)
                    // Due by the unit's latest creation or access (a promoted unit stays up for
                    // activeAge after its last read); an archive by the quarter of its newest record.
                    let newest = try unit.compactMap { try reader.node($0)?.createdAt }.max() ?? cutoff
                    let touched = try unit.compactMap { try reader.accessStats(of: $0)?.last }.max() ?? newest
                    var target = configuration.tier(forCreatedAt: max(newest, touched), now: now)
                    if case .archive = target { target = .archive(holding: newest) }
                    guard target != source, target != .active, !(source == .recent && target == .recent) else { continue }
                    units.append((target, unit))
                }
                if source == .active, let capacity = configuration.activeCapacity {
                    let due = Set(units.flatMap(\.1))
                    units += try overCapacity(store, reader, capacity: capacity, skipping: due).map { (.recent, $0) }
                }
                return units
            } ?? []
            for unit in units {
                if let last = batches.indices.last, batches[last].source == source, batches[last].target == unit.target,
                   batches[last].ids.count + unit.ids.count <= configuration.moveBatchSize {
                    batches[last].ids += unit.ids
                } else {
                    if batches.count == limit { return batches }
                    batches.append(PlannedMove(source: source, target: unit.target, ids: unit.ids))
                }
            }
        }
        return batches
    }

    /// The units of `store` (active) outside `skipping` to demote, coldest first by
    /// ``Configuration/evictionStrategy``, so that at most `capacity` records stay once the
    /// units due by age (`skipping`) have moved.
    func overCapacity(
        _ store: MemoryStore, _ reader: GraphReader, capacity: Int, skipping seen: Set<NodeID>
    ) throws -> [[NodeID]] {
        var seen = seen
        var candidates: [(key: (Double, Double), root: NodeID, unit: [NodeID])] = []
        var held = 0
        for id in try Self.idsCreated(before: .distantFuture, in: store) where !seen.contains(id) {
            guard try owns(.active, id) else { continue }
            var root = id
            while let owner = try reader.export(root)?.node().content.owners.first(where: { try reader.export($0) != nil }) {
                root = owner
            }
            let unit = try reader.unit(of: root)
            seen.formUnion(unit)
            held += unit.count
            let newest = try unit.compactMap { try reader.node($0)?.createdAt }.max() ?? .distantPast
            let stats = try unit.compactMap { try reader.accessStats(of: $0) }
            let used = max(newest, stats.map(\.last).max() ?? newest).timeIntervalSince1970
            let key: (Double, Double) = switch configuration.evictionStrategy {
            case .age: (newest.timeIntervalSince1970, 0)
            case .leastRecentlyUsed: (used, 0)
            case .leastFrequentlyUsed: (Double(stats.reduce(0) { $0 + $1.count }), used)
            }
            candidates.append((key, root, unit))
        }
        candidates.sort { ($0.key.0, $0.key.1, $0.root) < ($1.key.0, $1.key.1, $1.root) }
        var remaining = held
        var demoted: [[NodeID]] = []
        for candidate in candidates where remaining > capacity {
            demoted.append(candidate.unit)
            remaining -= candidate.unit.count
        }
        return demoted
    }

    /// The ids of the nodes created before `cutoff` in `store` (its `(2, namespace, createdAt, id)`
    /// index rows, FORMAT.md "Structural index"), oldest first within each namespace.
    static func idsCreated(before cutoff: Date, in store: MemoryStore) throws -> [NodeID] {
        guard let index = try store.database.existingTree("graph.index") else { return [] }
        let prefix = TupleKey(UInt8(2)).bytes
        var cursor = try index.range(.included(prefix), .after(prefix: prefix), reverse: false)
        var ids: [NodeID] = []
        while let entry = try cursor.next() {
            let key = try TupleKey(decoding: entry.key)
            guard key.count == 4, let id = NodeID(tupleElement: key.elements[3]) else { continue }
            if try key.value(at: 2, as: Date.self) < cutoff { ids.append(id) }
        }
        return ids
    }

    /// Moves what is due, at most `maxBatches` batches, each its own journaled move (the active
    /// tier's writer is held for one transaction at a time, never across batches); `progress`
    /// is called after each batch.
    @discardableResult
    public func migrate(maxBatches: Int = .max, progress: (MigrationProgress) -> Void = { _ in }) throws -> MigrationProgress {
        guard maxBatches >= 0 else { throw TierError.invalid("maxBatches", "\(maxBatches) must be ≥ 0") }
        return try moveLock.withLock { _ in
            var result = MigrationProgress()
            // A batch an earlier failure of this process left journaled is finished (or undone) first.
            if try !journal.pending(in: active.database).isEmpty { result.recovered = try recoverMoves() }
            while result.batches < maxBatches, let batch = try plannedMoves(limit: 1).first {
                if try run(batch) { result.records += batch.ids.count }
                result.batches += 1
                progress(result)
            }
            result.remaining = try !plannedMoves(limit: 1).isEmpty
            return result
        }
    }

    /// Moves the units of `roots` (each root and what hangs off it) from the tier the catalog
    /// names to `target`, as one journaled batch. Returns whether it moved (false when a record
    /// changed while it was copied: the batch is undone; retry).
    ///
    /// - Throws: `missingRecord` for an unknown root; `invalidArgument` for roots in different tiers.
    @discardableResult
    public func move(_ roots: [NodeID], to target: Tier) throws -> Bool {
        try moveLock.withLock { _ in try moveHoldingLock(roots, to: target) }
    }

    /// ``move(_:to:)`` for a caller holding ``moveLock`` (``withMovesPaused(_:)``).
    func moveHoldingLock(_ roots: [NodeID], to target: Tier) throws -> Bool {
        guard let first = roots.first else { return true }
        let source = try catalog.tier(of: first)
        var ids: [NodeID] = []
        for root in roots {
            guard try catalog.tier(of: root) == source else { throw TierError.invalid("move", "\(root) is not in \(source) like \(first)") }
            let unit = try withTier(source) { try $0.reader(includingExpired: true).unit(of: root) } ?? []
            guard !unit.isEmpty else { throw StrataError(.missingRecord, "node \(root) does not exist in any tier") }
            ids += unit.filter { !ids.contains($0) }
        }
        guard source != target else { return true }
        return try run(PlannedMove(source: source, target: target, ids: ids))
    }

    /// How many moves are journaled and unfinished (non-zero only while a batch runs, or after a
    /// crash until the next open recovers).
    public func pendingMoves() throws -> Int {
        try journal.pending(in: active.database).count
    }

    /// `ids` followed by every node hanging off them that `ids` does not list (owners first).
    static func closure(of ids: [NodeID], in graph: GraphTransaction) throws -> [NodeID] {
        var result = ids
        var listed = Set(ids)
        for id in ids {
            for member in try graph.unit(of: id) where listed.insert(member).inserted { result.append(member) }
        }
        return result
    }

    static func digest(_ exports: [RecordExport]) -> UInt64 {
        exports.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ $1.digest) &* 0x100_0000_01b3 }
    }

    // MARK: One batch

    /// Runs one batch: journal, copy, flip, evict. False if it was undone.
    func run(_ plan: PlannedMove) throws -> Bool {
        let done = movedRecords.withLock { $0 }
        runningMove.withLock {
            $0 = RunningMove(batch: 0, source: plan.source, target: plan.target, records: plan.ids.count, step: nil, recordsDone: done)
        }
        defer {
            crashPoint.withLock { $0 = nil }
            runningMove.withLock { $0 = nil }
        }
        let moved = try runSteps(plan)
        if moved { movedRecords.withLock { $0 += plan.ids.count } }
        return moved
    }

    private func runSteps(_ plan: PlannedMove) throws -> Bool {
        var batch = MoveBatch(number: 0, source: plan.source, target: plan.target, state: .copying, digest: 0, ids: plan.ids)
        // 1. Journal the batch (for an active source, with the exports read in the same transaction).
        var exports: [RecordExport] = []
        if plan.source == .active {
            try active.write(durability: .synced) { graph in
                // Whatever hangs off the units now (a message added since planning) moves too.
                batch.ids = try Self.closure(of: plan.ids, in: graph)
                exports = try batch.ids.compactMap { try graph.export($0) }
                batch.number = try journal.reserveNumber(in: graph.engineTransaction)
                batch.digest = Self.digest(exports)
                try journal.write(batch, in: graph.engineTransaction)
            }
        } else {
            exports = try withTier(plan.source, writable: true) { store in
                let reader = try store.reader(includingExpired: true)
                return try plan.ids.compactMap { try reader.export($0) }
            } ?? []
            try active.database.write(durability: .synced) { transaction in
                batch.number = try journal.reserveNumber(in: transaction)
                batch.digest = Self.digest(exports)
                try journal.write(batch, in: transaction)
            }
        }
        runningMove.withLock { $0?.batch = batch.number; $0?.records = batch.ids.count }
        try crash(at: .journaled)
        // 2. Copy into the target with the batch's marker (for an active target, the flip too).
        let placed = try crossingEdges(of: batch, endingIn: batch.target)
        if batch.target == .active {
            try changingCatalog { try active.write(durability: .synced) { graph in
                for export in exports { try graph.importRecord(export) }
                for edge in placed { try graph.addEdge(edge) }
                try flip(batch, exports: exports, placed: placed, in: graph.engineTransaction)
            } }
            try crash(at: .flipped)
            try evictFromSource(batch)
            return true
        }
        _ = try withTier(batch.target, writable: true) { store in
            let markers = try store.database.ownedTree(MoveJournal.markerTree, owner: TierCatalog.owner)
            try store.write(durability: .synced) { graph in
                for export in exports { try graph.importRecord(export) }
                for edge in placed { try graph.addEdge(edge) }
                try graph.engineTransaction.insert([], forKey: TupleKey(batch.number).bytes, in: markers)
            }
        }
        try crash(at: .copied)
        // 3. Flip the catalog (and, from active, evict in the same transaction), 4. evict elsewhere.
        return try finishCopied(batch)
    }

    /// The crossing edges with one end in `batch` and the other in `tier` by the catalog: they
    /// become ordinary edges of `tier` when the batch lands there.
    func crossingEdges(of batch: MoveBatch, endingIn tier: Tier) throws -> [Edge] {
        let ids = Set(batch.ids)
        let snapshot = try active.database.snapshot()
        return try liveCrossingEdges(touching: ids, in: snapshot).filter { edge in
            let other = ids.contains(edge.from) ? edge.to : edge.from
            guard !ids.contains(other) else { return false }
            return try catalog.tier(of: other) == tier
        }
    }

    /// The catalog flip in `transaction` (of the active database): the catalog names the target
    /// for every record of the batch; edges of the batch whose other end the catalog places in
    /// neither the batch nor the target become crossing edges; crossing edges now inside the
    /// target leave the crossing tree; the journal row says `copied` (or goes, for an active source).
    func flip(_ batch: MoveBatch, exports: [RecordExport], placed: [Edge], in transaction: Transaction) throws {
        let ids = Set(batch.ids)
        try catalog.recordMove(of: exports.map { try $0.node() }, from: batch.source, to: batch.target, in: transaction)
        for export in exports {
            for edge in try export.allEdges() {
                let other = edge.from == export.id ? edge.to : edge.from
                if !ids.contains(other), try catalog.tier(of: other) != batch.target {
                    try journal.store(edge, in: transaction)
                }
            }
        }
        for edge in placed { try journal.remove(edge, in: transaction) }
        if batch.source == .active {
            try journal.remove(batch.number, in: transaction)
        } else {
            var copied = batch
            copied.state = .copied
            try journal.write(copied, in: transaction)
        }
    }

    /// Step 3 for a batch whose copies (and marker) are in a non-active target: checks an active
    /// source did not change since it was journaled (else undoes the copy), flips, evicts.
    func finishCopied(_ batch: MoveBatch) throws -> Bool {
        let placed = try crossingEdges(of: batch, endingIn: batch.target)
        if batch.source == .active {
            let unchanged = try changingCatalog { try active.write(durability: .synced) { graph -> Bool in
                let current = try batch.ids.compactMap { try graph.export($0) }
                guard Self.digest(current) == batch.digest, try Self.closure(of: batch.ids, in: graph) == batch.ids else { return false }
                for id in batch.ids.reversed() where try graph.export(id) != nil { try graph.evict(id) }
                try flip(batch, exports: current, placed: placed, in: graph.engineTransaction)
                return true
            } }
            if !unchanged { try undo(batch) }
            return unchanged
        }
        // The source still holds every record (it is evicted only after the flip).
        let exports: [RecordExport] = try withTier(batch.source, writable: true) { store in
            let reader = try store.reader(includingExpired: true)
            return try batch.ids.compactMap { try reader.export($0) }
        } ?? []
        try changingCatalog { try active.database.write(durability: .synced) { transaction in
            try flip(batch, exports: exports, placed: placed, in: transaction)
        } }
        try crash(at: .flipped)
        try evictFromSource(batch)
        return true
    }

    /// Step 4: evicts the batch's records still in a non-active source, then drops the journal row.
    func evictFromSource(_ batch: MoveBatch) throws {
        _ = try withTier(batch.source, writable: true) { store in
            try store.write(durability: .synced) { graph in
                for id in batch.ids.reversed() where try graph.export(id) != nil { try graph.evict(id) }
            }
        }
        try active.database.write(durability: .synced) { try journal.remove(batch.number, in: $0) }
    }

    /// Removes a batch's copies and marker from its target and drops its journal row.
    func undo(_ batch: MoveBatch) throws {
        _ = try withTier(batch.target, writable: true) { store in
            let markers = try store.database.ownedTree(MoveJournal.markerTree, owner: TierCatalog.owner)
            try store.write(durability: .synced) { graph in
                for id in batch.ids.reversed() where try graph.export(id) != nil { try graph.evict(id) }
                try graph.engineTransaction.remove(TupleKey(batch.number).bytes, from: markers)
            }
        }
        try active.database.write(durability: .synced) { try journal.remove(batch.number, in: $0) }
    }

    /// The points between a batch's commits where a test can stop it, as a crash would.
    enum MoveStep: Sendable {
        case journaled, copied, flipped
    }

    /// Marks `step` reached (in ``TieredStatistics/runningMove``), calls the test hook, and
    /// throws if the test set the crash point there.
    private func crash(at step: MoveStep) throws {
        runningMove.withLock { $0?.step = "\(step)" }
        stepHook.withLock { $0 }?(step)
        if crashPoint.withLock({ $0 }) == step { throw StrataError(.ioFailure, "simulated crash after the move step \(step)") }
    }

    // MARK: Recovery

    /// Finishes or undoes every journaled batch (at open, before anything else runs): a batch
    /// whose target holds no marker never copied (its row goes); one with the marker is flipped
    /// and evicted (or undone if its active source changed since); a `copied` one is evicted.
    func recoverMoves() throws -> Int {
        let pending = try journal.pending(in: active.database)
        for batch in pending {
            switch batch.state {
            case .copied:
                try evictFromSource(batch)
            case .copying:
                guard batch.target != .active, try configuration.memory.engine.fileSystem.kind(of: root + "/" + batch.target.path) == .directory else {
                    try active.database.write(durability: .synced) { try journal.remove(batch.number, in: $0) }
                    continue
                }
                let copied = try withTier(batch.target, writable: true) { store in
                    try store.database.existingTree(MoveJournal.markerTree)?.get(TupleKey(batch.number).bytes) != nil
                } ?? false
                guard copied else {
                    try active.database.write(durability: .synced) { try journal.remove(batch.number, in: $0) }
                    continue
                }
                _ = try finishCopied(batch)
            }
        }
        return pending.count
    }
}
