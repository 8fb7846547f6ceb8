import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Synchronization

/// The store's clock in the model test: moved by the test, read by the store.
final class ModelClock: Sendable {
    private let time = Mutex(GraphModelGenerator.epoch)
    var now: Date { time.withLock { $0 } }
    func advance(by seconds: Int) { time.withLock { $0 = $0.addingTimeInterval(Double(seconds)) } }
}

/// Drives one ``MemoryStore`` (on a ``CrashSimulatingFileSystem``) and one ``ReferenceGraph``
/// with the same random operations and checks every query after every step.
struct GraphModelRunner {
    static let path = "/graph"
    /// HNSW graphs made real at the model's sizes (no exact scan, M 4, efConstruction 16, so a
    /// few dozen vectors span levels) and repaired often (consolidation at 5 % tombstones).
    static let vectorIndex = VectorIndexConfiguration(
        m: 4, efConstruction: 16, repairBatchSize: 3, consolidationThreshold: 0.05, exactScanBound: 0)
    var generator: GraphModelGenerator
    var fileSystem = CrashSimulatingFileSystem()
    let clock = ModelClock()
    let versionRetention: Int
    var store: MemoryStore
    var reference: ReferenceGraph
    /// The latest operations, for failure messages.
    var recent: [String] = []
    var counts: [String: Int] = [:]

    /// The HNSW configuration the store opens with (``vectorIndex`` unless a test says otherwise).
    let vectorIndex: VectorIndexConfiguration

    init(seed: UInt64, vectorIndex: VectorIndexConfiguration = Self.vectorIndex) throws {
        self.vectorIndex = vectorIndex
        generator = GraphModelGenerator(seed: seed)
        versionRetention = [0, 1, 3][Int(seed % 3)]
        reference = ReferenceGraph(versionRetention: versionRetention)
        store = try Self.open(fileSystem, clock: clock, versionRetention: versionRetention, vectorIndex: vectorIndex)
    }

    /// Small engine budgets (as the engine's model tests use), no background flush, and a sweep
    /// batch of 3 so that `expire` takes several transactions.
    static func open(
        _ fileSystem: any FileSystem, clock: ModelClock, versionRetention: Int, vectorIndex: VectorIndexConfiguration
    ) throws -> MemoryStore {
        var engine = Database.Configuration(fileSystem: fileSystem)
        engine.pageSize = 1024
        engine.segmentSize = 64 << 10
        engine.dirtyBytes = 64 << 10
        engine.walBytes = 64 << 10
        engine.cacheBytes = 1 << 20
        engine.largeValueThreshold = 512
        engine.segmentGCRatio = 0.7
        engine.flushInterval = nil
        engine.checkpointInterval = nil
        return try MemoryStore.open(
            at: path, configuration: .init(
                engine: engine, versionRetention: versionRetention, clock: { clock.now }, sweepBatch: 3, vectorIndex: vectorIndex))
    }

    mutating func note(_ kind: String, _ text: String) {
        counts[kind, default: 0] += 1
        recent.append(text)
        if recent.count > 12 { recent.removeFirst() }
    }

    func expect(_ actual: GraphModelOperation.Outcome, _ expected: GraphModelOperation.Outcome, _ what: String) throws {
        guard actual == expected else { throw ModelMismatch(description: "\(what): store \(actual), reference \(expected)") }
    }

    mutating func run(steps: Int) throws {
        for step in 0..<steps {
            do {
                // Every run reopens and crashes at least once, whatever the dice say.
                if step == steps / 3 {
                    try reopen()
                } else if step == steps / 2 {
                    try interruptedRebuild()
                } else if step == 2 * steps / 3 {
                    try crash()
                } else {
                    try self.step()
                }
                var rng = generator.rng
                try GraphModelChecker(store: store, reference: reference, ids: generator.ids, now: clock.now).checkAll(rng: &rng)
                generator.rng = rng
            } catch let mismatch as ModelMismatch {
                throw ModelMismatch(description: "step \(step), \(generator.rng.seedDescription): \(mismatch)\nlast operations:\n  " + recent.joined(separator: "\n  "))
            }
        }
    }

    mutating func step() throws {
        let now = clock.now
        switch generator.int(0...199) {
        case 0..<110:
            let operation = generator.operation(reference, now: now)
            note("single", "\(operation)")
            let expected = operation.apply(to: &reference, now: now)
            try expect(try store.write { try operation.apply(to: $0) }, expected, "\(operation)")
        case 110..<130:
            let operations = (0..<generator.int(2...5)).map { _ in generator.operation(reference, now: now) }
            note("transaction", "transaction \(operations)")
            let expected = operations.map { $0.apply(to: &reference, now: now) }
            try store.write { graph in
                for (operation, outcome) in zip(operations, expected) { try expect(try operation.apply(to: graph), outcome, "\(operation) in \(operations)") }
            }
        case 130..<140:
            try abortedTransaction(now: now)
        case 140..<152:
            note("expire", "expire at \(now)")
            let expected = reference.expire(now: now)
            let useClock = generator.chance(0.5)
            let deleted = useClock ? try store.expire() : try store.expire(now: now)
            try expect(.count(deleted), .count(expected), "expire(now: \(now))")
        case 152..<180:
            let seconds = generator.int(1...8)
            clock.advance(by: seconds)
            note("clock", "clock to \(clock.now)")
        case 180..<190:
            try convenience(now: now)
        case 190..<194:
            switch generator.int(0...9) {
            case 0..<5: try rebuild()
            case 5..<7: try interruptedRebuild()
            default: try vectorMaintenance()
            }
        case 194..<197:
            try reopen()
        default:
            try crash()
        }
    }

    /// Closes the store and opens the directory again.
    mutating func reopen() throws {
        note("reopen", "reopen")
        try store.close()
        store = try Self.open(fileSystem, clock: clock, versionRetention: versionRetention, vectorIndex: vectorIndex)
    }

    /// `rebuildIndexes(batchSize:)` in batches of 1 to 8 records: it regenerates the derived
    /// entries and changes nothing a query returns (the checks after the step).
    mutating func rebuild() throws {
        let batchSize = generator.int(1...8)
        note("rebuild", "rebuild(batchSize: \(batchSize))")
        let report = try store.rebuildIndexes(batchSize: batchSize)
        guard report.isSound else { throw ModelMismatch(description: "rebuildIndexes(batchSize: \(batchSize)): \(report.problems)") }
        guard try !store.hasInterruptedRebuild else { throw ModelMismatch(description: "a completed rebuild left its progress behind") }
    }

    /// `repairVectorIndex(batchSize:)` in batches of 1 to 4 nodes, or `rebuildVectorIndex` of
    /// one (space, namespace) in batches of 1 to 8 vectors: no tombstone is left after a repair,
    /// the graph verify holds, and no answer changes beyond the recall floor (the checks after).
    mutating func vectorMaintenance() throws {
        if generator.chance(0.5) {
            let batchSize = generator.int(1...4)
            note("repairVectors", "repairVectorIndex(batchSize: \(batchSize))")
            try store.repairVectorIndex(batchSize: batchSize)
            if let left = try store.vectorIndexStatistics().first(where: { $0.tombstones > 0 }) {
                throw ModelMismatch(description: "repairVectorIndex(batchSize: \(batchSize)) left \(left.tombstones) tombstones in \(left.space)")
            }
        } else {
            let space = GraphModelGenerator.spaces[generator.int(0...GraphModelGenerator.spaces.count - 1)].name
            let namespace = GraphModelGenerator.namespaces[generator.int(0...GraphModelGenerator.namespaces.count - 1)]
            let batchSize = generator.int(1...8)
            note("rebuildVectors", "rebuildVectorIndex(space: \(space), namespace: \(namespace), batchSize: \(batchSize))")
            do {
                try store.rebuildVectorIndex(space: space, namespace: namespace, batchSize: batchSize)
            } catch let error as StrataError where error.code == .missingRecord && reference.spaces[space] == nil {
                return
            }
        }
        let verification = try store.verify()
        guard verification.isSound else { throw ModelMismatch(description: "verify after vector maintenance: \(verification.problems.prefix(3))") }
    }

    /// A rebuild in batches of 1 to 3 records with the power cut after a few file-system calls:
    /// the recovered store is the reference (a rebuild changes no record), and when the cut
    /// stopped it inside the rebuild (its progress recorded), a read-only open still sees it
    /// unfinished and the writable open finishes it.
    mutating func interruptedRebuild() throws {
        try store.database.flush()
        let batchSize = generator.int(1...3)
        // The rebuild's batches are buffered: they reach the files in one write of the flush
        // after it (unless the small budgets start a checkpoint during it). Cut within the
        // rebuild's first calls, or keep the flush's write and fail its sync, so that the crash
        // image keeps a prefix of that write.
        fileSystem.crashAfterOperations = fileSystem.operationCount + generator.int(0...4)
        do {
            try store.rebuildIndexes(batchSize: batchSize)
            if !fileSystem.hasCrashed, generator.chance(0.8) { fileSystem.crashAfterOperations = fileSystem.operationCount + 1 }
            try store.database.flush()
        } catch {
            guard fileSystem.hasCrashed else { throw ModelMismatch(description: "rebuild failed before the crash: \(error)") }
        }
        let crashed = fileSystem.hasCrashed
        try? store.close()
        let mode = generator.pick([CrashMode.keepPrefix, .tornGarbage, .reorderAcrossFiles, .keepPrefix, .dropUnsynced])
        let image = fileSystem.crashImage(using: &generator.rng, mode: mode)
        fileSystem = CrashSimulatingFileSystem(startingFrom: image)
        var readOnly = Database.Configuration(fileSystem: fileSystem)
        readOnly.readOnly = true
        let inside = try {
            let db = try Database.open(at: Self.path, configuration: readOnly)
            defer { try? db.close() }
            return try MemoryStore(database: db).hasInterruptedRebuild
        }()
        if inside { counts["interrupted rebuild", default: 0] += 1 }
        note("rebuild", "rebuild(batchSize: \(batchSize)) \(crashed ? "cut (\(mode))" : "not cut"), \(inside ? "inside it" : "before or after it")")
        store = try Self.open(fileSystem, clock: clock, versionRetention: versionRetention, vectorIndex: vectorIndex)
        guard try !store.hasInterruptedRebuild else { throw ModelMismatch(description: "the open did not finish an interrupted rebuild") }
        let recovered = try extract()
        guard recovered == reference else {
            throw ModelMismatch(description: "after a rebuild cut short (\(mode)): \(recovered.difference(from: reference))")
        }
    }

    /// Operations in one transaction that then throws: nothing of it may be stored.
    mutating func abortedTransaction(now: Date) throws {
        struct Abort: Error {}
        let operations = (0..<generator.int(1...4)).map { _ in generator.operation(reference, now: now) }
        let leaveWithTypedError = generator.chance(0.5)
        note("aborted", "aborted transaction \(operations)")
        var scratch = reference
        let expected = operations.map { $0.apply(to: &scratch, now: now) }
        do {
            try store.write { graph in
                for (operation, outcome) in zip(operations, expected) { try expect(try operation.apply(to: graph), outcome, "\(operation) in \(operations)") }
                if leaveWithTypedError { try graph.delete("never-inserted") } else { throw Abort() }
            }
            throw ModelMismatch(description: "an aborted transaction committed")
        } catch let error as StrataError where leaveWithTypedError {
            guard error.code == .missingRecord else { throw ModelMismatch(description: "aborted with \(error)") }
        } catch is Abort where !leaveWithTypedError {}
    }

    /// One operation through the store's one-call forms.
    mutating func convenience(now: Date) throws {
        let operation = generator.operation(reference, now: now)
        note("convenience", "convenience \(operation)")
        let expected = operation.apply(to: &reference, now: now)
        func outcome(_ body: () throws -> GraphModelOperation.Outcome) throws -> GraphModelOperation.Outcome {
            do { return try body() } catch let error as StrataError { return .failed(error.code) }
        }
        let actual: GraphModelOperation.Outcome
        switch operation {
        case .insert(let node): actual = try outcome { .node(try store.insert(node)) }
        case .insertMany(let nodes): actual = try outcome { try store.insert(contentsOf: nodes); return .done }
        case .update(let node, let viaClosure):
            actual = try outcome { .node(viaClosure ? try store.update(node.id) { $0 = node } : try store.update(node)) }
        case .delete(let id): actual = try outcome { .count(generator.chance(0.5) ? try store.forget(id) : try store.delete(id)) }
        case .deleteMany(let ids): actual = try outcome { .count(try store.delete(contentsOf: ids)) }
        case .addEdge(let edge): actual = try outcome { try store.addEdge(edge); return .done }
        case .removeEdge(let from, let type, let to): actual = try outcome { .flag(try store.removeEdge(from: from, type: type, to: to)) }
        case .invalidateEdge(let from, let type, let to, let date):
            actual = try outcome { try store.invalidateEdge(from: from, type: type, to: to, at: date); return .done }
        case .define(let space): actual = try outcome { try store.define(space); return .done }
        case .setVector(let vector, let id, let space): actual = try outcome { try store.setVector(vector, for: id, in: space); return .done }
        case .recordAccess(let id, let date): actual = try outcome { try store.recordAccess(id, at: date); return .done }
        case .removeVector, .bad: actual = try store.write { try operation.apply(to: $0) }
        }
        try expect(actual, expected, "\(operation)")
    }

    /// A simulated power loss in the middle of a run of commits (some synced): the recovered
    /// graph must be the reference after some commit at or after the last synced one.
    mutating func crash() throws {
        try store.database.flush()
        note("crash", "crash armed")
        var states = [reference]
        var lastDurable = 0
        var pending: ReferenceGraph?
        fileSystem.crashAfterOperations = fileSystem.operationCount + generator.int(0...80)
        var crashed = false
        var crashOps = ""
        for attempt in 0..<2000 {
            if generator.chance(0.1) {
                let seconds = generator.int(1...5)
                clock.advance(by: seconds)
            }
            let now = clock.now
            let operation = generator.operation(reference, now: now)
            let synced = generator.chance(0.25)
            crashOps += " \(fileSystem.operationCount)\(synced ? "s" : "")"
            // A flush now and then: buffered commits alone may not reach the file system often
            // enough to meet the crash point; a flush makes every commit durable.
            if attempt % 50 == 49 {
                do {
                    try store.database.flush()
                    lastDurable = states.count - 1
                } catch {
                    guard fileSystem.hasCrashed else { throw ModelMismatch(description: "flush failed before the crash: \(error)") }
                    crashed = true
                    break
                }
            }
            var next = reference
            let expected = operation.apply(to: &next, now: now)
            pending = next
            let actual: GraphModelOperation.Outcome
            do {
                actual = try store.write(durability: synced ? .synced : .buffered) { try operation.apply(to: $0) }
            } catch {
                guard fileSystem.hasCrashed else { throw ModelMismatch(description: "\(operation) failed before the crash: \(error)") }
                crashed = true
                break
            }
            note("before crash", "\(operation)\(synced ? " (synced)" : "")")
            try expect(actual, expected, "\(operation) before the crash")
            reference = next
            // A synced write that changes nothing writes no log record and syncs nothing, so it
            // does not make the buffered commits before it durable (the engine's behaviour).
            let changed = next != states.last
            states.append(next)
            if synced, changed { lastDurable = states.count - 1 }
            pending = nil
        }
        guard crashed else { throw ModelMismatch(description: "the workload never reached the crash point") }
        try? store.close()
        var candidates = Array(states[lastDurable...])
        if let pending { candidates.append(pending) }
        let mode = generator.pick(CrashMode.allCases)
        let image = fileSystem.crashImage(using: &generator.rng, mode: mode)
        fileSystem = CrashSimulatingFileSystem(startingFrom: image)
        store = try Self.open(fileSystem, clock: clock, versionRetention: versionRetention, vectorIndex: vectorIndex)
        let recovered = try extract()
        guard let match = candidates.lastIndex(of: recovered) else {
            throw ModelMismatch(description: "after a crash (\(mode)) the graph is no commit's state at or after the last synced one (\(states.count - 1) commits, last synced \(lastDurable), matches commit \(states.lastIndex(of: recovered) as Any), ops \(crashOps)); against the last synced: \(recovered.difference(from: states[lastDurable]))")
        }
        note("crash", "crash (\(mode)): recovered commit \(lastDurable + match) of \(states.count - 1), last synced \(lastDurable)")
        reference = recovered
    }

    /// The store's whole graph, read through the public API into a reference graph.
    func extract() throws -> ReferenceGraph {
        var graph = ReferenceGraph(versionRetention: versionRetention)
        let reader = try store.reader(at: clock.now, includingExpired: true)
        for space in GraphModelGenerator.spaces {
            if let stored = try reader.space(named: space.name) { graph.spaces[space.name] = stored }
        }
        for id in generator.ids {
            guard let node = try reader.node(id) else { continue }
            graph.nodes[id] = ReferenceGraph.stored(node)
            let earlier = try reader.versions(of: id).dropLast()
            if !earlier.isEmpty { graph.versions[id] = Array(earlier) }
            graph.access[id] = try reader.accessStats(of: id)
            for space in graph.spaces.keys {
                if let vector = try reader.vector(of: id, in: space) { graph.vectors[id, default: [:]][space] = vector }
            }
            for edge in try reader.edges(of: id, direction: .outgoing, includingInvalidated: true) {
                graph.edges[ReferenceGraph.EdgeKey(from: edge.from, type: edge.type.name, to: edge.to)] = edge
            }
        }
        return graph
    }
}
