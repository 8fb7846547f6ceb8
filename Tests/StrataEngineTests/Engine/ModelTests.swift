@testable import StrataEngine
import StrataTestSupport
import Testing

/// Long seeded random operation sequences checked step by step against ``ReferenceModel``.
@Suite struct ModelTests {
    @Test(arguments: [UInt64(101), 202, 303])
    func randomOperationsMatchTheModelInMemory(seed: UInt64) throws {
        var runner = try ModelRunner(
            fileSystem: MemoryFileSystem(), path: "/db", seed: SeededRandom.seedFromEnvironment() ?? seed)
        try runner.run(steps: 3000)
    }

    @Test func randomOperationsMatchTheModelOnDisk() throws {
        let directory = try TemporaryDirectory(prefix: "strata-model")
        var runner = try ModelRunner(
            fileSystem: PosixFileSystem(), path: directory.appending("db"),
            seed: SeededRandom.seedFromEnvironment() ?? 404)
        try runner.run(steps: 1200)
    }

    /// Regression: a checkpoint that empties segments lists them (with no live bytes) in its
    /// catalog and then deletes their files; open kept those entries, so the next GC picked
    /// them and failed reading a file that no longer exists.
    @Test func reopenAfterSegmentsWereEmptiedThenCheckpointAgain() throws {
        let fs = MemoryFileSystem()
        var rng = SeededRandom.fromEnvironment(default: 77)
        var db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let tree = try db.tree("t")
        for i in 0..<400 {
            try tree.insert(rng.bytes(count: 600), forKey: Array("key-\(i)".utf8))
        }
        try db.checkpoint()
        try tree.clear()
        try db.checkpoint()
        try db.close()
        db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        try db.tree("t").insert([1], forKey: [1])
        try db.checkpoint()
        try db.verify()
        try db.close()
        db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        #expect(try db.existingTree("t")?.get([1]) == [1], "\(rng.seedDescription)")
        try db.verify()
        try db.close()
    }
}

/// Drives one database and one model with the same random operations.
struct ModelRunner {
    let fileSystem: any FileSystem
    let path: String
    var rng: SeededRandom
    var db: Database
    var model = ReferenceModel()
    var handles: [String: Tree] = [:]
    /// Snapshots still open, with the model and tree handles as they were when taken.
    var snapshots: [(snapshot: Snapshot, model: ReferenceModel, trees: [String: Tree], step: Int)] = []
    var step = 0
    static let treeNames = ["alpha", "beta", "gamma"]


    init(fileSystem: any FileSystem, path: String, seed: UInt64) throws {
        self.fileSystem = fileSystem
        self.path = path
        rng = SeededRandom(seed: seed)
        db = try Database.open(at: path, configuration: Self.configuration(fileSystem))
    }

    static func configuration(_ fileSystem: any FileSystem) -> Database.Configuration {
        EngineFixtures.smallConfiguration(fileSystem)
    }

    var context: String { "\(rng.seedDescription), step \(step)" }

    mutating func tree(_ name: String) throws -> Tree {
        if let tree = handles[name] { return tree }
        let tree = try db.tree(name)
        model.createTree(name)
        handles[name] = tree
        return tree
    }

    mutating func randomTreeName() -> String {
        Self.treeNames[Int.random(in: 0..<Self.treeNames.count, using: &rng)]
    }

    mutating func run(steps: Int) throws {
        for name in Self.treeNames { _ = try tree(name) }
        var sawLargeValue = false
        var checkpoints = 0
        for current in 0..<steps {
            step = current
            let roll = Int.random(in: 0..<1000, using: &rng)
            do {
            switch roll {
            case 0..<300: try insertOne(&sawLargeValue)
            case 300..<420: try removeOne()
            case 420..<560: try batch()
            case 560..<580: try compareAndSwap()
            case 580..<600: try updateAndFetch()
            case 600..<690: try checkRange()
            case 690..<740: try checkPrefix()
            case 740..<790: try checkPoints()
            case 790..<800: try clearTree()
            case 800..<806: try dropAndMaybeRecreate()
            case 806..<830: try takeSnapshot()
            case 830..<860: try checkSnapshot()
            case 860..<870:
                if try db.checkpoint() != nil { checkpoints += 1 }
                try db.verify()
            case 870..<876: try reopen()
            case 876..<880: try db.flush()
            default: try insertOne(&sawLargeValue)
            }
            } catch {
                Issue.record("operation \(roll) failed: \(error), \(context)")
                throw error
            }
            if current % 500 == 499 { try checkEverything() }
            try checkInvariants()

        }
        while !snapshots.isEmpty { try checkSnapshot() }
        try checkEverything()
        try db.verify()
        try reopen()
        try db.verify()
        let statistics = try db.statistics()
        #expect(statistics.checkpointEpoch > 1, "checkpoints should have run, \(context)")
        #expect(sawLargeValue, "the run should store out-of-line values, \(context)")
        try db.close()
    }

    mutating func insertOne(_ sawLargeValue: inout Bool) throws {
        let name = randomTreeName()
        let tree = try tree(name)
        let key = EngineFixtures.key(&rng)
        let value = EngineFixtures.value(&rng)
        if value.count > 1024 { sawLargeValue = true }
        let previous = try tree.insert(value, forKey: key)
        #expect(previous == model.insert(value, forKey: key, in: name), "insert returned previous, \(context)")
    }

    mutating func removeOne() throws {
        let name = randomTreeName()
        let tree = try tree(name)
        // Remove mostly keys that exist.
        let entries = model.entries(in: name)
        let key = entries.isEmpty || Bool.random(using: &rng)
            ? EngineFixtures.key(&rng) : entries[Int.random(in: 0..<entries.count, using: &rng)].key
        let removed = try tree.remove(key)
        #expect(removed == model.remove(key, from: name), "remove returned, \(context)")
    }

    mutating func batch() throws {
        var names = Set<String>()
        for _ in 0..<Int.random(in: 1...3, using: &rng) { names.insert(randomTreeName()) }
        var trees: [String: Tree] = [:]
        for name in names { trees[name] = try tree(name) }
        let shouldFail = Int.random(in: 0..<10, using: &rng) == 0
        var after = model
        var ops: [(String, [UInt8], [UInt8]?, Bool)] = []
        for _ in 0..<Int.random(in: 1...12, using: &rng) {
            let name = names.randomElement(using: &rng)!
            let key = EngineFixtures.key(&rng)
            let clear = Int.random(in: 0..<60, using: &rng) == 0
            let value: [UInt8]? = Int.random(in: 0..<4, using: &rng) == 0 ? nil : EngineFixtures.value(&rng, largeChance: 0.01)
            ops.append((name, key, value, clear))
        }
        let before = model
        let context = self.context
        do {
            try db.write { tx in
                for (name, key, value, clear) in ops {
                    let tree = trees[name]!
                    if clear {
                        try tx.clear(tree)
                        after.clear(name)
                    } else if let value {
                        try tx.insert(value, forKey: key, in: tree)
                        after.insert(value, forKey: key, in: name)
                    } else {
                        try tx.remove(key, from: tree)
                        after.remove(key, from: name)
                    }
                    // Read your own writes.
                    #expect(try tx[tree].get(key) == after.get(key, in: name), "tx.get, \(context)")
                }
                let name = names.first!
                #expect(
                    try Array(tx[trees[name]!].range(.unbounded, .unbounded)).model == after.entries(in: name), "tx[tree].range merges, \(context)")
                if shouldFail { throw RollbackRequested() }
            }
            #expect(!shouldFail)
            model = after
        } catch is RollbackRequested {
            #expect(try EngineFixtures.contents(of: db) == before, "a throwing batch changed nothing, \(context)")
        }
    }

    mutating func compareAndSwap() throws {
        let name = randomTreeName()
        let tree = try tree(name)
        let key = EngineFixtures.key(&rng, space: 50)
        let current = model.get(key, in: name)
        let expected = Bool.random(using: &rng) ? current : [0xEE]
        let new: [UInt8]? = Int.random(in: 0..<4, using: &rng) == 0 ? nil : EngineFixtures.value(&rng)
        let result = try tree.compareAndSwap(key, expected: expected, new: new)
        if expected == current {
            #expect(result == .swapped, "\(context)")
            if let new { model.insert(new, forKey: key, in: name) } else { model.remove(key, from: name) }
        } else {
            #expect(result == .mismatch(current: current), "\(context)")
        }
    }

    mutating func updateAndFetch() throws {
        let name = randomTreeName()
        let tree = try tree(name)
        let key = EngineFixtures.key(&rng, space: 50)
        let dropIt = Int.random(in: 0..<5, using: &rng) == 0
        let fetched = try tree.updateAndFetch(key) { current in dropIt ? nil : (current ?? []) + [1] }
        let updated: [UInt8]? = dropIt ? nil : (model.get(key, in: name) ?? []) + [1]
        #expect(fetched == updated, "\(context)")
        if let updated { model.insert(updated, forKey: key, in: name) } else { model.remove(key, from: name) }
    }

    mutating func checkRange() throws {
        let name = randomTreeName()
        let tree = try tree(name)
        let lower = EngineFixtures.bound(&rng)
        let upper = EngineFixtures.bound(&rng)
        let reverse = Bool.random(using: &rng)
        let limit = Int.random(in: 0..<3, using: &rng) == 0 ? 5 : Int.max
        var cursor = try tree.range(lower, upper, reverse: reverse)
        let found = try cursor.collect(limit: limit)
        let expected = Array(EngineFixtures.range(model, in: name, lower, upper, reverse: reverse).prefix(limit))
        #expect(found.model == expected, "range \(lower)...\(upper) reverse \(reverse) of \(name), \(context)")
    }

    mutating func checkPrefix() throws {
        let name = randomTreeName()
        let tree = try tree(name)
        let prefixes: [[UInt8]] = [[], [0x00], [0x41], [0xFF], [0xFF, 0x00], [0xFE], [0xFF, 0xFF], [0x42, 0x01]]
        let prefix = prefixes[Int.random(in: 0..<prefixes.count, using: &rng)]
        let reverse = Bool.random(using: &rng)
        var cursor = try tree.scan(prefix: prefix, reverse: reverse)
        #expect(
            try cursor.collect().model == model.prefix(prefix, in: name, reverse: reverse),
            "scan(prefix: \(prefix), reverse: \(reverse)) of \(name), \(context)")
    }

    mutating func checkPoints() throws {
        let name = randomTreeName()
        let tree = try tree(name)
        #expect(try tree.count == model.count(in: name), "count, \(context)")
        #expect(try tree.isEmpty == (model.count(in: name) == 0), "isEmpty, \(context)")
        #expect(try tree.first()?.model == model.first(in: name), "first, \(context)")
        #expect(try tree.last()?.model == model.last(in: name), "last, \(context)")
        let key = EngineFixtures.key(&rng)
        #expect(try tree.get(key) == model.get(key, in: name), "get, \(context)")
        #expect(try tree.contains(key) == (model.get(key, in: name) != nil), "contains, \(context)")
    }

    mutating func clearTree() throws {
        let name = randomTreeName()
        try tree(name).clear()
        model.clear(name)
        #expect(try tree(name).count == 0, "\(context)")
    }

    mutating func dropAndMaybeRecreate() throws {
        let name = randomTreeName()
        let existed = try db.dropTree(name)
        #expect(existed == model.drop(name), "dropTree result, \(context)")
        handles[name] = nil
        #expect(try db.existingTree(name) == nil, "\(context)")
        #expect(try !db.treeNames().contains(name), "\(context)")
        if Bool.random(using: &rng) {
            #expect(try tree(name).count == 0, "a recreated tree starts empty, \(context)")
        }
    }

    mutating func takeSnapshot() throws {
        guard snapshots.count < 4 else { return try checkSnapshot() }
        let snapshot = try db.snapshot()
        snapshots.append((snapshot, model, handles, step))
    }

    mutating func checkSnapshot() throws {
        guard !snapshots.isEmpty else { return }
        let (snapshot, expected, trees, taken) = snapshots.remove(at: Int.random(in: 0..<snapshots.count, using: &rng))
        let context = "snapshot taken at step \(taken), \(self.context)"
        #expect(snapshot.treeNames == expected.treeNames, "\(context)")
        let found = try EngineFixtures.contents(of: snapshot, trees: trees)
        #expect(found == expected, "\(EngineFixtures.difference(expected, found)), \(context)")
        for (name, tree) in trees {
            #expect(try snapshot[tree].count == expected.count(in: name), "\(context)")
            let key = EngineFixtures.key(&rng)
            #expect(try snapshot[tree].get(key) == expected.get(key, in: name), "\(context)")
            let lower = EngineFixtures.bound(&rng)
            let upper = EngineFixtures.bound(&rng)
            var cursor = try snapshot[tree].range(lower, upper, reverse: true)
            #expect(
                try cursor.collect().model == EngineFixtures.range(expected, in: name, lower, upper, reverse: true),
                "\(context)")
            var scan = try snapshot[tree].scan(prefix: [0xFF])
            #expect(try scan.collect().model == expected.prefix([0xFF], in: name), "\(context)")
        }
    }

    /// The engine's node and tree invariants over every node in memory (debug builds, where
    /// `STRATA_INVARIANTS` compiles the checkers in; the editor also checks each edited path).
    func checkInvariants() throws {
        #if STRATA_INVARIANTS
        let violations = try db.invariantViolations()
        #expect(violations.isEmpty, "\(violations.prefix(5)), \(context)")
        #endif
    }

    mutating func checkEverything() throws {
        let found = try EngineFixtures.contents(of: db)
        #expect(found == model, "\(EngineFixtures.difference(model, found)), \(context)")
        for name in model.treeNames {
            #expect(try tree(name).count == model.count(in: name), "count of \(name), \(context)")
        }
    }

    mutating func reopen() throws {
        snapshots.removeAll()
        try db.close()
        db = try Database.open(at: path, configuration: Self.configuration(fileSystem))
        handles = [:]
        for name in try db.treeNames() { handles[name] = try db.existingTree(name) }
        try checkEverything()
    }
}
