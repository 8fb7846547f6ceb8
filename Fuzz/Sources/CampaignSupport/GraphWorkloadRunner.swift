#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
@_spi(Testing) import StrataGraph
import Synchronization

/// Runs a ``GraphWorkload`` through `MemoryStore(database:)` on a database opened with the
/// campaign's file system, and records in a ``ModelHistory`` the engine state (every tree's
/// entries) after every commit and which commits were acknowledged durable.
///
/// Two modes. Without a reference it is the reference run: after each step it reads every tree
/// (the canonical dump of the graph) and records it, and every `verifyEvery` steps checks
/// `MemoryStore.verify()`. With `reference` (the states of such a run) it records the reference
/// state of each commit before making it, as ``WorkloadRunner`` does with its model: the graph
/// layer decides the exact entries, so a clean run is the model of every other run.
public struct GraphWorkloadRunner {
    public let workload: GraphWorkload
    public let path: String
    public let configuration: Database.Configuration
    /// The states of a reference run (nil: this run is one).
    public var reference: [ModelState]?
    /// In a reference run, stop once this many states are recorded (nil: run every step).
    public var stopAfterStates: Int?
    /// In a reference run, check the graph's `verify()` after every this many steps (0: never).
    public var verifyEvery = 8
    /// Called with the history index each time a commit is acknowledged durable.
    public var onAcknowledged: (Int) -> Void = { _ in }
    /// Called with the history index of each commit just before it is attempted.
    public var onAttempt: (Int) -> Void = { _ in }
    /// Called with the batch size before each ``GraphWorkload/Step/rebuild(batchSize:)`` step starts.
    public var onRebuild: (Int) -> Void = { _ in }
    /// Flush the database before each of a rebuild's transactions after its first, so that its
    /// batches reach the files one by one (the kill campaign's child: a kill then recovers
    /// inside the rebuild). A flush makes no commit; the history's acknowledgements stay a
    /// lower bound.
    public var flushDuringRebuild = false

    /// The graph trees the store creates, one commit each, in the order it creates them, then
    /// its format record (one commit): the states a crash during the store's creation may leave.
    static let storeTrees = [
        "graph.nodes", "graph.versions", "graph.edges", "graph.edges.in", "graph.index", "graph.embeddings",
        "graph.spaces", "graph.access", "graph.degrees", "graph.meta",
    ]

    /// How many commits create the store (its trees and format record): before the state after
    /// the last of them, a recovered database may hold only some of the graph's trees.
    public static var storeCreationStates: Int { storeTrees.count + 1 }

    public init(workload: GraphWorkload, path: String, fileSystem: any FileSystem, reference: [ModelState]? = nil) {
        self.workload = workload
        self.path = path
        self.configuration = WorkloadRunner.configuration(fileSystem: fileSystem, segmentGCRatio: workload.segmentGCRatio)
        self.reference = reference
    }

    /// The store's settings in the campaigns: two versions kept, the workload's clock.
    public static func storeConfiguration(clock: GraphClock) -> MemoryStore.Configuration {
        MemoryStore.Configuration(versionRetention: 2, clock: { clock.now }, sweepBatch: 512, vectorIndex: vectorIndex)
    }

    /// The HNSW parameters the campaigns run with: tiny graphs made real (no exact scan below a
    /// bound, M 4 and efConstruction 16 so a few hundred vectors span several levels), and
    /// repair batches small and frequent (consolidation at 5 % tombstones) so repairs run.
    public static let vectorIndex = VectorIndexConfiguration(
        m: 4, efConstruction: 16, repairBatchSize: 3, consolidationThreshold: 0.05, exactScanBound: 0)

    /// Opens the database (creating it), the store and its space, then runs every step; stops at
    /// the first error. The database is left open.
    public func run() -> WorkloadRunner.Outcome {
        var history = ModelHistory()
        let clock = GraphClock()
        var database: Database?
        var store: MemoryStore?
        var failure: (any Error)?
        var failedStep: Int?
        var stepIndex = -1
        func next(_ count: Int = 1, reading: () throws -> [ModelState]) throws {
            if let reference {
                for _ in 0..<count {
                    let index = history.states.count
                    guard index < reference.count else {
                        throw CampaignFailure("the run made commit \(index), past the \(reference.count - 1) of the reference run")
                    }
                    onAttempt(index)
                    history.record(reference[index])
                }
            } else {
                for state in try reading() { history.record(Self.interned(state, after: history.current)) }
            }
        }
        func acknowledge() {
            history.acknowledgeAll()
            onAcknowledged(history.acknowledged)
        }
        do {
            // Setup: the store's trees and format record, the embedding spaces, a flush.
            let db = try Database.open(at: path, configuration: configuration)
            database = db
            if reference != nil { try next(Self.storeTrees.count + 1) { [] } }
            let opened = try MemoryStore(database: db, configuration: Self.storeConfiguration(clock: clock))
            store = opened
            if reference == nil {
                let created = try RecoveryCheck.readState(db)
                for count in 1...Self.storeTrees.count {
                    history.record(Dictionary(uniqueKeysWithValues: Self.storeTrees.prefix(count).map { ($0, [:]) }))
                }
                history.record(created)
            }
            try next { try Self.defineSpaces(opened); return [try RecoveryCheck.readState(db)] }
            if reference != nil { try Self.defineSpaces(opened) }
            try db.flush()
            acknowledge()
            for (index, step) in workload.steps.enumerated() {
                if let stopAfterStates, history.states.count > stopAfterStates { break }
                stepIndex = index
                clock.set(step: index)
                let db = database!
                let graph = store!
                switch step {
                case .transaction(let operations, let durable):
                    let sequenceBefore = try db.snapshot().sequence
                    let stateBefore = history.states.count - 1
                    // The write's commit, then a repair batch per graph its tombstones made due
                    // (each its own commit): one history state per commit.
                    let repairs = try recordingRepairs(db, next: next) { beforeEachRepair, repairFailed in
                        try graph.write(
                            durability: durable ? .synced : .buffered, beforeEachRepair: beforeEachRepair, repairFailed: repairFailed
                        ) { g in
                            for operation in operations { try GraphOperations.apply(operation, to: g) }
                        }
                    }
                    // A write that changes nothing commits nothing and syncs nothing (the engine
                    // returns before logging): only a synced write that committed makes the
                    // buffered commits before it durable.
                    // Its repair batches sync too, up to one that failed (the write reports it
                    // through `repairFailed`: a batch whose sync failed is in the sequence but
                    // not on disk), which acknowledges nothing from itself on.
                    let landed = Int(try db.snapshot().sequence - sequenceBefore)
                    if durable, landed > 0 {
                        var last = stateBefore + landed
                        if let failed = repairs.failedBatch { last = min(last, stateBefore + failed) }
                        history.acknowledge(through: min(last, history.states.count - 1))
                        onAcknowledged(history.acknowledged)
                    }
                    // A repair batch that failed ends the run as a failed write would (its state
                    // in the history was attempted, never acknowledged).
                    if let failure = repairs.failure { throw failure }
                case .expire:
                    // The sweep's commit, then the repair batches its deletes made due.
                    let repairs = try recordingRepairs(db, next: next) { beforeEachRepair, repairFailed in
                        _ = try graph.expire(now: nil, beforeEachRepair: beforeEachRepair, repairFailed: repairFailed)
                    }
                    if let failure = repairs.failure { throw failure }
                case .rebuild(let batchSize):
                    onRebuild(batchSize)
                    try rebuild(graph, db, batchSize: batchSize, next: next)
                case .repairVectors(let batchSize):
                    try repairVectors(graph, db, batchSize: batchSize, next: next)
                case .flush:
                    try db.flush()
                    acknowledge()
                case .checkpoint:
                    try db.checkpoint()
                    acknowledge()
                case .reopen:
                    database = nil
                    store = nil
                    try db.close()
                    // A clean close checkpoints: everything is durable.
                    acknowledge()
                    let reopened = try Database.open(at: path, configuration: configuration)
                    database = reopened
                    store = try MemoryStore(database: reopened, configuration: Self.storeConfiguration(clock: clock))
                }
                if RecoveryCheck.verbose {
                    CampaignOutput.progress("step \(index) \(step.description.prefix(60)): states \(history.states.count - 1), acknowledged \(history.acknowledged)")
                }
                if reference == nil, verifyEvery > 0, index % verifyEvery == verifyEvery - 1 {
                    let verification = try store!.verify()
                    guard verification.isSound else {
                        throw CampaignFailure("graph verify after step \(index) (no crash): \(verification.problems.prefix(5))")
                    }
                }
            }
        } catch {
            failure = error
            failedStep = stepIndex
        }
        return WorkloadRunner.Outcome(history: history, error: failure, failedStep: failedStep, database: database)
    }

    /// Runs `operation` (a write or a sweep, given the repair hooks of `MemoryStore.write`) and
    /// records one history state per commit it makes: its own, then one per repair batch it runs
    /// after it (a replay records each reference state before the commit is attempted). Returns
    /// the first repair batch that failed (1 for the first batch run), with its error.
    func recordingRepairs(
        _ db: Database, next: @escaping (Int, () throws -> [ModelState]) throws -> Void,
        _ operation: (_ beforeEachRepair: () -> Void, _ repairFailed: (any Error) -> Void) throws -> Void
    ) throws -> (failedBatch: Int?, failure: (any Error)?) {
        var repairStates: [ModelState] = []
        var hookFailure: (any Error)?
        var batches = 0
        var failed: (batch: Int, error: any Error)?
        func run() throws {
            try operation({
                batches += 1
                guard hookFailure == nil else { return }
                do {
                    if reference != nil { try next(1) { [] } } else { repairStates.append(try RecoveryCheck.readState(db)) }
                } catch {
                    hookFailure = error
                }
            }, { error in failed = failed ?? (batches, error) })
        }
        if reference != nil {
            try next(1) { [] }
            try run()
        } else {
            try next(1) { try run(); return repairStates + [try RecoveryCheck.readState(db)] }
        }
        if let hookFailure { throw hookFailure }
        return (failed?.batch, failed?.error)
    }

    /// Runs `repairVectorIndex(batchSize:)`, one history state per batch, recorded as
    /// ``rebuild(_:_:batchSize:next:)`` records them; then checks `verify()` (no crash).
    func repairVectors(
        _ graph: MemoryStore, _ db: Database, batchSize: Int, next: (Int, () throws -> [ModelState]) throws -> Void
    ) throws {
        var transactions = 0
        var failure: (any Error)?
        try graph.repairVectorIndex(batchSize: batchSize, maxBatches: .max) {
            transactions += 1
            guard failure == nil else { return }
            do { try beforeBatch(transactions, db, next: next) } catch { failure = error }
        }
        if let failure { throw failure }
        if reference == nil {
            // The state after the last batch (none when no graph exists: a replay records one
            // state per batch, so must the reference).
            if transactions > 0 { try next(1) { [try RecoveryCheck.readState(db)] } }
            if let statistics = try? graph.vectorIndexStatistics(), let left = statistics.first(where: { $0.tombstones > 0 }) {
                throw CampaignFailure("repairVectorIndex(batchSize: \(batchSize)) left \(left.tombstones) tombstones in \(left.namespace)/\(left.space)")
            }
        }
    }

    /// Runs `rebuildIndexes(batchSize:)`, one history state per transaction it commits: a replay
    /// records each reference state before the transaction is attempted; the reference run
    /// reads the state each batch left before the next one starts (and after the last), then
    /// checks that the completed rebuild left every tree byte-identical to before it.
    func rebuild(
        _ graph: MemoryStore, _ db: Database, batchSize: Int, next: (Int, () throws -> [ModelState]) throws -> Void
    ) throws {
        var transactions = 0
        var failure: (any Error)?
        let before = reference == nil ? try RecoveryCheck.readState(db) : [:]
        let verification = try graph.rebuildIndexes(batchSize: batchSize) {
            transactions += 1
            guard failure == nil else { return }
            do {
                if flushDuringRebuild, transactions > 1 { try db.flush() }
                try beforeBatch(transactions, db, next: next)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        if reference == nil {
            let after = try RecoveryCheck.readState(db)
            guard after == before else {
                throw CampaignFailure(
                    "rebuildIndexes(batchSize: \(batchSize)) (no crash) changed the trees: \(ModelHistory.difference(after, before))")
            }
            try next(1) { [after] }
        }
        guard verification.isSound else {
            throw CampaignFailure("graph verify after rebuildIndexes(batchSize: \(batchSize)): \(verification.problems.prefix(5))")
        }
    }

    /// The history state recorded before transaction `transactions` (from 1) of a batched
    /// operation (repair, rebuild): a replay records an empty state; the reference run reads the
    /// state the transaction before left (nothing before the first).
    private func beforeBatch(_ transactions: Int, _ db: Database, next: (Int, () throws -> [ModelState]) throws -> Void) throws {
        if reference != nil {
            try next(1) { [] }
        } else if transactions > 1 {
            try next(1) { [try RecoveryCheck.readState(db)] }
        }
    }

    /// Defines ``GraphWorkload/spaces`` in one transaction (one commit).
    static func defineSpaces(_ store: MemoryStore) throws {
        try store.write { g in
            for space in GraphWorkload.spaces { try g.define(space) }
        }
    }

    /// `state` with each value equal to the one in `previous` replaced by that one (sharing its
    /// storage), so that a history of many states holds each big value once.
    static func interned(_ state: ModelState, after previous: ModelState) -> ModelState {
        var result = state
        for (name, entries) in state {
            guard let before = previous[name] else { continue }
            for (key, value) in entries where value.count > 64 {
                if let old = before[key], old == value { result[name]![key] = old }
            }
        }
        return result
    }
}

/// The workload's clock: a fixed time per step, so every run of a workload stamps the same
/// times (creation, update, access, validity, expiry).
public final class GraphClock: Sendable {
    private let seconds = Atomic<Int64>(1_700_000_000)

    public init() {}

    /// The clock's time.
    public var now: Date { Date(timeIntervalSince1970: Double(seconds.load(ordering: .relaxed))) }

    /// Moves the clock to the time of step `step` (seven seconds a step).
    public func set(step: Int) { seconds.store(1_700_000_000 + Int64(step) * 7 + 7, ordering: .relaxed) }
}
