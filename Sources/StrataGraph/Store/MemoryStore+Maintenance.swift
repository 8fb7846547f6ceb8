import StrataEngine

extension MemoryStore {
    /// Checks that records and indexes agree exactly, on one snapshot (see ``GraphVerification``).
    public func verify() throws -> GraphVerification {
        try GraphVerifier(view: trees.view(database.snapshot())).run()
    }

    /// Regenerates every derived entry (the structural index, the incoming adjacency, the degree
    /// counters and the vector listings) from the records, `batchSize` records per transaction,
    /// then returns the verification.
    ///
    /// Each batch records how far the rebuild got in the same transaction, so a rebuild cut short
    /// (a crash, an I/O error) is finished when the store is next opened writable; until then
    /// ``verify()`` reports the missing entries. While it runs, this store's other writes throw
    /// `conflict` (the rebuild's counters must not race them); reads go on, and may see the
    /// derived entries partly rebuilt.
    ///
    /// - Throws: `conflict` if a rebuild is already running; `invalidField` for a batch size < 1.
    @discardableResult
    public func rebuildIndexes(batchSize: Int = 4096) throws -> GraphVerification {
        try rebuildIndexes(batchSize: batchSize, beforeEachTransaction: {})
    }

    /// ``rebuildIndexes(batchSize:)`` calling `beforeEachTransaction` before each of its
    /// transactions (every one commits), so that a crash campaign can record the state after each.
    @_spi(Testing) @discardableResult
    public func rebuildIndexes(batchSize: Int, beforeEachTransaction: () -> Void) throws -> GraphVerification {
        guard batchSize >= 1 else { throw GraphError.invalidField("batchSize", "\(batchSize) must be at least 1") }
        try beginMaintenance()
        defer { endMaintenance() }
        try IndexRebuild(database: database, trees: trees, batchSize: batchSize).run(beforeTransaction: beforeEachTransaction)
        return try verify()
    }

    /// The `graph.meta` key under which a rebuild records its progress while it runs.
    @_spi(Testing) public static var rebuildProgressKey: [UInt8] { IndexRebuild.progressKey }

    /// Finishes a rebuild that a crash cut short (called by open on a writable store).
    func resumeInterruptedRebuild() throws {
        guard !database.isReadOnly, let progress = try IndexRebuild.pending(in: trees) else { return }
        try beginMaintenance()
        defer { endMaintenance() }
        try IndexRebuild(database: database, trees: trees, batchSize: 4096).run(resuming: progress)
    }

    /// Whether a rebuild cut short is waiting to be finished (a read-only store cannot finish it).
    public var hasInterruptedRebuild: Bool {
        get throws { try IndexRebuild.pending(in: trees) != nil }
    }
}
