import StrataEngine
import StrataTestSupport
import Testing

/// Power loss at random points of a random workload: whatever survives, open recovers the
/// state after some commit at or after the last one acknowledged durable.
@Suite struct RecoveryTests {
    @Test(arguments: 0..<8)
    func recoversACommittedStateAfterACrash(batch: Int) throws {
        let base = SeededRandom.seedFromEnvironment() ?? 9000
        for round in 0..<20 {
            try crashOnce(seed: base &+ UInt64(batch * 1000 + round))
        }
    }

    /// Runs a workload until the simulated power loss, then recovers every crash mode's image.
    func crashOnce(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let fs = CrashSimulatingFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        // states[i] is the model after the i-th acknowledged commit; states[0] is the start.
        var states = [ReferenceModel()]
        var lastDurable = 0
        var model = ReferenceModel()
        fs.crashAfterOperations = fs.operationCount + Int.random(in: 0...120, using: &rng)
        var pending: ReferenceModel?
        let names = ["a", "b", "c"]
        var handles: [String: Tree] = [:]
        var crashed = false
        for _ in 0..<5000 {
            let name = names[Int.random(in: 0..<names.count, using: &rng)]
            let durable = Int.random(in: 0..<4, using: &rng) == 0
            do {
                if handles[name] == nil {
                    var next = model
                    next.createTree(name)
                    pending = next
                    handles[name] = try db.tree(name)
                    model = next
                    states.append(model)
                    continue
                }
                let tree = handles[name]!
                switch Int.random(in: 0..<100, using: &rng) {
                case 0..<3:
                    try db.flush()
                    lastDurable = states.count - 1
                case 3..<5:
                    try db.checkpoint()
                    lastDurable = states.count - 1
                case 5..<7:
                    var next = model
                    next.clear(name)
                    pending = next
                    try tree.clear(durability: durable ? .synced : .buffered)
                    model = next
                    states.append(model)
                    if durable { lastDurable = states.count - 1 }
                default:
                    var next = model
                    var ops: [(Tree, String, [UInt8], [UInt8]?)] = []
                    for _ in 0..<Int.random(in: 1...6, using: &rng) {
                        let treeName = handles.keys.sorted()[Int.random(in: 0..<handles.count, using: &rng)]
                        let key = EngineFixtures.key(&rng, space: 300)
                        let value: [UInt8]? = Int.random(in: 0..<4, using: &rng) == 0
                            ? nil : EngineFixtures.value(&rng, largeChance: 0.05)
                        ops.append((handles[treeName]!, treeName, key, value))
                        if let value { next.insert(value, forKey: key, in: treeName) } else { next.remove(key, from: treeName) }
                    }
                    pending = next
                    try db.write(durability: durable ? .synced : .buffered) { tx in
                        for (tree, _, key, value) in ops {
                            if let value { try tx.insert(value, forKey: key, in: tree) } else { try tx.remove(key, from: tree) }
                        }
                    }
                    model = next
                    states.append(model)
                    if durable { lastDurable = states.count - 1 }
                }
                pending = nil
            } catch {
                #expect(fs.hasCrashed, "only the simulated crash may fail the workload: \(error), \(rng.seedDescription)")
                crashed = true
                break
            }
        }
        #expect(crashed, "the workload should reach the crash point, \(rng.seedDescription)")
        try? db.close()
        // The commit in flight at the crash may or may not have reached the log.
        var candidates = Array(states[lastDurable...])
        if let pending { candidates.append(pending) }

        for mode in CrashMode.allCases {
            let context = "mode \(mode), \(rng.seedDescription), \(states.count - 1) commits, last durable \(lastDurable)"
            let image = fs.crashImage(using: &rng, mode: mode)
            let configuration = EngineFixtures.smallConfiguration(image)
            let recovered: ReferenceModel
            do {
                let db = try Database.open(at: "/db", configuration: configuration)
                recovered = try EngineFixtures.contents(of: db)
                #expect(
                    candidates.contains(recovered),
                    "recovered a state that no commit at or after the last durable one produced, \(context)")
                try db.verify()
                try db.close()
            } catch {
                Issue.record("recovery failed: \(error), \(context)")
                continue
            }
            // Recovery is stable, and the database takes new writes.
            let again = try Database.open(at: "/db", configuration: configuration)
            #expect(try EngineFixtures.contents(of: again) == recovered, "reopen changed the state, \(context)")
            try again.tree("after").insert([42], forKey: [1], durability: .synced)
            try again.close()
            let third = try Database.open(at: "/db", configuration: configuration)
            var expected = recovered
            expected.insert([42], forKey: [1], in: "after")
            #expect(try EngineFixtures.contents(of: third) == expected, "a write after recovery was lost, \(context)")
            try third.verify()
            try third.close()
        }
    }
}
