#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import Synchronization

/// An agent's memory split by age into tiers, each a whole ``MemoryStore`` in its own directory
/// under `root` (seed 000's MultiTierStorage): `active/` opens with the store and takes every
/// write; `recent/` and `archive/YYYY-Qn/` open lazily on first need, read-only unless a move
/// writes them, at most ``Configuration/maxOpenTiers`` at once.
///
/// A persisted catalog in the active tier (``TierCatalog``) names the tier of every record
/// outside `active`, so a point read opens at most the one tier holding the record, and a miss
/// opens none. Reads take a ``TierHint``; a record reads the same whichever tier holds it, and
/// a result from a tier the catalog does not name for its id is dropped (exactly once, even
/// while a move has copied a record and not yet removed it from its source).
///
/// ```swift
/// let store = try TieredMemoryStore.open(at: "/var/lib/agent/memory")
/// let chat = try store.active.insert(Node(namespace: "u", .conversation(Conversation(title: "Trip"))))
/// let found = try store.node(chat.id, hint: .any)
/// ```
public final class TieredMemoryStore: Sendable {
    /// The root directory.
    public let root: String
    /// The store's configuration.
    public let configuration: Configuration
    /// The active tier: write through it (``MemoryStore/write(durability:_:)``, inserts, edges).
    public let active: MemoryStore
    let catalog: TierCatalog
    let pool: TierPool
    let journal: MoveJournal
    /// Serialises moves (``migrate(maxBatches:progress:)``, ``move(_:to:)``, recovery).
    let moveLock = Mutex(())
    /// The step after which the next batch stops as if the process died (tests).
    let crashPoint = Mutex<MoveStep?>(nil)
    /// How many journaled batches the open found unfinished and recovered.
    public let recoveredMoves: Int
    /// The batch running now (``statistics()``).
    let runningMove = Mutex<RunningMove?>(nil)
    /// Records moved by batches that completed since the store opened.
    let movedRecords = Mutex(0)
    /// The background maintenance worker (``Configuration/backgroundSync``), until close.
    let backgroundWorker = Mutex<BackgroundWorker?>(nil)
    /// Called at each step of a batch before the crash point is checked (tests).
    let stepHook = Mutex<(@Sendable (MoveStep) -> Void)?>(nil)
    /// Odd while a commit that changes the catalog (a move's flip) runs; raised by 2 per commit.
    /// Reads retry when it changed under them (``stableRead(_:)``).
    let catalogVersion = Atomic<Int>(0)

    /// Opens (creating it if missing) the tiered store in `root`.
    ///
    /// - Throws: `invalidArgument` for a bad configuration, and what ``MemoryStore/open(at:configuration:)`` throws.
    public static func open(at root: String, configuration: Configuration = .init()) throws -> TieredMemoryStore {
        try configuration.validate()
        try configuration.memory.engine.fileSystem.createDirectory(root + "/active")
        var memory = configuration.memory
        memory.clock = configuration.clock
        let active = try MemoryStore.open(at: root + "/active", configuration: memory)
        do {
            let store = try recovering(TieredMemoryStore(root: root, configuration: configuration, active: active))
            if configuration.backgroundSync { store.startBackground() }
            return store
        } catch {
            try? active.close()
            throw error
        }
    }

    private init(root: String, configuration: Configuration, active: MemoryStore) throws {
        self.root = root
        self.configuration = configuration
        self.active = active
        self.catalog = try TierCatalog.open(in: active.database)
        self.pool = TierPool(root: root, configuration: configuration)
        self.journal = try MoveJournal.open(in: active.database)
        self.recoveredMoves = 0
    }

    /// Opens the store and rolls every journaled move forward (or undoes one whose active
    /// source changed after it was copied): RECOVERY.md, "Tier moves after a crash".
    private static func recovering(_ store: TieredMemoryStore) throws -> TieredMemoryStore {
        let recovered = try store.moveLock.withLock { _ in try store.recoverMoves() }
        guard recovered > 0 else { return store }
        return TieredMemoryStore(recoveredFrom: store, count: recovered)
    }

    private init(recoveredFrom store: TieredMemoryStore, count: Int) {
        root = store.root
        configuration = store.configuration
        active = store.active
        catalog = store.catalog
        pool = store.pool
        journal = store.journal
        recoveredMoves = count
    }

    /// Stops the background worker (letting its batch in progress finish), then closes every
    /// open tier, then the active one.
    public func close() throws {
        backgroundWorker.withLock { $0 }?.stop()
        try pool.closeAll()
        try active.close()
    }

    /// Closes the non-active tiers unused for ``Configuration/idleClose``; returns how many.
    @discardableResult
    public func closeIdleTiers() throws -> Int {
        try pool.closeIdle()
    }

    /// The tier the catalog names for `id` (`active` if it names none; the record may not exist).
    public func tier(of id: NodeID) throws -> Tier {
        try catalog.tier(of: id)
    }

    /// Every tier that holds records by the catalog, in search order, with counts and spans
    /// (`active` first, its count from the active store).
    public func tiers() throws -> [TierSummary] {
        [TierSummary(tier: .active, count: try activeCount(), createdRange: nil)] + (try catalog.summaries())
    }

    private func activeCount() throws -> Int {
        guard let nodes = try active.database.existingTree("graph.nodes") else { return 0 }
        var cursor = try nodes.range(.unbounded, .unbounded)
        return try cursor.countRemaining()
    }

    /// What the store is doing: its tiers, which are open, and how many opens and closes of
    /// non-active tiers it has made.
    public func statistics() throws -> TieredStatistics {
        let counters = pool.counters
        return TieredStatistics(
            tiers: try tiers(), openTiers: counters.open, tierOpens: counters.opens, tierCloses: counters.closes,
            pendingMoves: try pendingMoves(), recoveredMoves: recoveredMoves, runningMove: runningMove.withLock { $0 },
            background: backgroundWorker.withLock { $0 }?.status)
    }

    /// Runs `body` with the store of `tier`, opening it if needed; nil (opening nothing) when
    /// the catalog lists no such tier.
    func withTier<T>(_ tier: Tier, writable: Bool = false, _ body: (MemoryStore) throws -> T) throws -> T? {
        if tier == .active { return try body(active) }
        if !writable, try !catalog.summaries().contains(where: { $0.tier == tier }) { return nil }
        return try pool.withStore(tier, writable: writable, body)
    }
}

/// A snapshot of a tiered store's state (``TieredMemoryStore/statistics()``).
public struct TieredStatistics: Sendable {
    /// Every tier with records, active first.
    public var tiers: [TierSummary]
    /// The non-active tiers open now.
    public var openTiers: [Tier]
    /// How many times a non-active tier has been opened since the store opened.
    public var tierOpens: Int
    /// How many times a non-active tier has been closed (idle, or to stay under the bound).
    public var tierCloses: Int
    /// Journaled moves not finished (a batch running now, or one a crash left for the next open).
    public var pendingMoves: Int
    /// Batches the open found unfinished and recovered.
    public var recoveredMoves: Int
    /// The batch being moved now (by ``TieredMemoryStore/migrate(maxBatches:progress:)``,
    /// ``TieredMemoryStore/move(_:to:)`` or the background worker), nil when none is.
    public var runningMove: RunningMove?
    /// The background worker's state (nil unless ``TieredMemoryStore/Configuration/backgroundSync``).
    public var background: BackgroundStatus?
}

/// A batch in progress (``TieredStatistics/runningMove``).
public struct RunningMove: Hashable, Sendable {
    /// Its journal number (the row recovery would finish after a crash).
    public var batch: Int64
    /// The tier the records leave.
    public var source: Tier
    /// The tier they go to.
    public var target: Tier
    /// How many records the batch carries.
    public var records: Int
    /// The last step committed: `journaled`, `copied` or `flipped` (nil before the journal row).
    public var step: String?
    /// Records moved by the batches this store completed since it opened (this one not included).
    public var recordsDone: Int
}

extension TieredMemoryStore {
    /// Stores `nodes` (new ids, in dependency order) directly in `tier` and catalogs them there:
    /// the copy step of a move without its journal (not crash-safe; tests use it to build tiers;
    /// moves go through ``move(_:to:)`` and ``migrate(maxBatches:progress:)``). The catalog is written after the tier, so a crash between the two
    /// leaves the copies invisible (a result from a tier the catalog does not name is dropped).
    func place(_ nodes: [Node], in tier: Tier) throws {
        guard tier != .active else { try active.insert(contentsOf: nodes); return }
        _ = try pool.withStore(tier, writable: true) { try $0.insert(contentsOf: nodes) }
        try changingCatalog {
            try active.database.write(durability: .synced) { transaction in
                try catalog.recordMove(of: nodes, from: .active, to: tier, in: transaction)
            }
        }
    }
}
