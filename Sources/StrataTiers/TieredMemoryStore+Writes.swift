#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

extension TieredMemoryStore {
    /// Adds (or replaces) the edge `from -type-> to` wherever its ends live: in their tier when
    /// the catalog places both in one, else in the crossing tree of the active database
    /// (``edges(of:type:direction:hint:)`` returns it either way; a move carries it along).
    /// Waits for a move batch in progress.
    ///
    /// - Throws: `missingRecord` if either end is in no tier; `namespaceMismatch` for ends in
    ///   different namespaces; `invalidField` for a bad field. Nothing is written then.
    public func addEdge(_ edge: Edge) throws {
        try moveLock.withLock { _ in try addEdgeHoldingLock(edge) }
    }

    /// Runs `body` with moves held off (no batch starts until it returns): for a writer that
    /// reads where records live and then writes beside them (the coordinator's enrichment).
    /// Inside, use the `HoldingLock` calls, not ``move(_:to:)`` or ``addEdge(_:)``.
    func withMovesPaused<T>(_ body: () throws -> T) throws -> T {
        try moveLock.withLock { _ in try body() }
    }

    /// ``addEdge(_:)`` for a caller holding ``moveLock``.
    func addEdgeHoldingLock(_ edge: Edge) throws {
        let fromTier = try catalog.tier(of: edge.from), toTier = try catalog.tier(of: edge.to)
        if fromTier == toTier {
            try inTier(fromTier) { try $0.addEdge(edge) }
            return
        }
        try edge.validate()
        let ends = try [(edge.from, fromTier), (edge.to, toTier)].map { id, tier in
            guard let node = try withTier(tier, { try $0.reader(includingExpired: true).node(id) }) ?? nil else {
                throw StrataError(.missingRecord, "node \(id) does not exist in any tier")
            }
            return node
        }
        guard ends[0].namespace == ends[1].namespace else {
            throw StrataError(.namespaceMismatch, "node \(edge.to) is in namespace \"\(ends[1].namespace)\", not \"\(ends[0].namespace)\"")
        }
        var stored = edge
        if stored.validFrom == nil { stored.validFrom = configuration.clock() }
        try active.database.write { transaction in try journal.store(stored, in: transaction) }
    }

    /// Marks the edge `from -type-> to` no longer holding from `date` (default: the clock's
    /// now), wherever it lives: its ends' tier, or the crossing tree.
    ///
    /// - Throws: `missingRecord` if no such edge exists; `invalidField` for a date before its
    ///   `validFrom` (or out of range). Nothing is written then.
    public func invalidateEdge(from: NodeID, type: EdgeType, to: NodeID, at date: Date? = nil) throws {
        try moveLock.withLock { _ in
            let fromTier = try catalog.tier(of: from), toTier = try catalog.tier(of: to)
            if fromTier == toTier {
                try inTier(fromTier) { try $0.invalidateEdge(from: from, type: type, to: to, at: date ?? configuration.clock()) }
                return
            }
            let snapshot = try active.database.snapshot()
            guard var edge = try journal.edge(from: from, type: type, to: to, in: snapshot[journal.crossing]) else {
                throw StrataError(.missingRecord, "edge \(from) -\(type)-> \(to) does not exist")
            }
            let date = date ?? configuration.clock()
            if let validFrom = edge.validFrom, date < validFrom {
                throw StrataError(.invalidField, "validUntil: \(date) is before the edge's validFrom \(validFrom)")
            }
            edge.validUntil = date
            try edge.validate()
            try active.database.write { transaction in try journal.store(edge, in: transaction) }
        }
    }

    /// Removes the edge `from -type-> to` wherever it lives. Returns whether it existed.
    @discardableResult
    public func removeEdge(from: NodeID, type: EdgeType, to: NodeID) throws -> Bool {
        try moveLock.withLock { _ in
            let fromTier = try catalog.tier(of: from), toTier = try catalog.tier(of: to)
            if fromTier == toTier { return try inTier(fromTier) { try $0.removeEdge(from: from, type: type, to: to) } }
            return try active.database.write { transaction in
                guard try journal.edge(from: from, type: type, to: to, in: transaction[journal.crossing]) != nil else { return false }
                try transaction.remove(TupleKey(from, type.name, to).bytes, from: journal.crossing)
                return true
            }
        }
    }

    /// Forgets `id` and everything hanging off it (``MemoryStore/forget(_:)``), in whatever tier
    /// holds it, with every edge crossing to another tier from any of them: afterwards no read,
    /// with any hint, returns them. Returns how many nodes were forgotten.
    ///
    /// Two commits for a record outside active: one active commit drops the crossing edges and
    /// the catalog rows (from then no read sees the records), then the tier deletes them; a
    /// crash between leaves them stored there but unreachable (ARCHITECTURE.md, "Forget").
    ///
    /// - Throws: `missingRecord` for an id no tier holds (nothing changes).
    @discardableResult
    public func forget(_ id: NodeID) throws -> Int {
        try moveLock.withLock { _ in
            let tier = try catalog.tier(of: id)
            let unit = try withTier(tier) { try $0.reader(includingExpired: true).unit(of: id) } ?? []
            guard !unit.isEmpty else { throw StrataError(.missingRecord, "node \(id) does not exist in any tier") }
            return try changingCatalog {
                if tier == .active {
                    return try active.write { graph in
                        try dropCrossing(touching: unit, in: graph.engineTransaction)
                        return try graph.delete(id)
                    }
                }
                try active.database.write(durability: .synced) { transaction in
                    try dropCrossing(touching: unit, in: transaction)
                    try catalog.recordRemoval(of: unit, from: tier, in: transaction)
                }
                return try withTier(tier, writable: true) { try $0.forget(id) } ?? 0
            }
        }
    }

    private func dropCrossing(touching ids: [NodeID], in transaction: Transaction) throws {
        for edge in try journal.edges(touching: Set(ids), in: transaction[journal.crossing]) {
            try journal.remove(edge, in: transaction)
        }
    }

    /// Runs `body` with the store of `tier` open for writing (active, or a tier the catalog lists).
    private func inTier<T>(_ tier: Tier, _ body: (MemoryStore) throws -> T) throws -> T {
        if tier == .active { return try body(active) }
        return try pool.withStore(tier, writable: true, body)
    }
}
