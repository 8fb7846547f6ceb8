import StrataEngine
import StrataTestSupport
import Testing

/// Reads inside transactions (point reads, prefix scans, ranges both ways, limits, seeks,
/// counts) checked against ``ReferenceModel`` over thousands of seeded random steps across
/// three trees, with commits and rolled-back transactions in between.
@Suite struct TransactionReadModelTests {
    @Test(arguments: [UInt64(11), 12])
    func transactionReadsMatchTheModel(seed: UInt64) throws {
        var rng = SeededRandom(seed: SeededRandom.seedFromEnvironment() ?? seed)
        let context = rng.seedDescription
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(MemoryFileSystem()))
        let names = ["a", "b", "c"]
        var trees: [String: Tree] = [:]
        var model = ReferenceModel()
        for name in names {
            trees[name] = try db.tree(name)
            model.createTree(name)
        }
        // Committed entries for the pending writes to merge with: several leaves per tree.
        try db.write { tx in
            for name in names {
                for _ in 0..<300 {
                    let key = Self.key(&rng)
                    let value = rng.bytes(count: Int.random(in: 0...40, using: &rng))
                    try tx.insert(value, forKey: key, in: trees[name]!)
                    model.insert(value, forKey: key, in: name)
                }
            }
        }
        var steps = 0
        var transactions = 0
        while steps < 4000 {
            transactions += 1
            let rollBack = Int.random(in: 0..<5, using: &rng) == 0
            var after = model
            do {
                try db.write { tx in
                    for _ in 0..<Int.random(in: 1...80, using: &rng) {
                        steps += 1
                        let name = names.randomElement(using: &rng)!
                        try Self.step(&rng, tx[trees[name]!], &after, name, "step \(steps), \(context)")
                    }
                    if rollBack { throw RollbackRequested() }
                }
                #expect(!rollBack)
                model = after
            } catch is RollbackRequested {}
            #expect(try EngineFixtures.contents(of: db) == model, "after transaction \(transactions), \(context)")
        }
        try db.close()
    }

    /// One random write or read through `view`, checked against (and applied to) `model`.
    static func step(
        _ rng: inout SeededRandom, _ view: TransactionTree, _ model: inout ReferenceModel, _ name: String, _ context: String
    ) throws {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<30:
            let key = key(&rng)
            let value = rng.bytes(count: Int.random(in: 0...40, using: &rng))
            try view.insert(value, forKey: key)
            model.insert(value, forKey: key, in: name)
        case 30..<42:
            let key = key(&rng)
            try view.remove(key)
            model.remove(key, from: name)
        case 42..<43:
            try view.clear()
            model.clear(name)
        case 43..<53:
            let key = key(&rng)
            #expect(try view.get(key) == model.get(key, in: name), "get, \(context)")
            #expect(try view.contains(key) == (model.get(key, in: name) != nil), "contains, \(context)")
            #expect(try view.withValue(forKey: key) { $0.map(Array.init) } == model.get(key, in: name), "withValue, \(context)")
        case 53..<68:
            let prefix = Array(key(&rng).prefix(Int.random(in: 0...2, using: &rng)))
            let reverse = Bool.random(using: &rng)
            let limit = Int.random(in: 0..<3, using: &rng) == 0 ? Int.random(in: 0...5, using: &rng) : Int.max
            var cursor = try view.scan(prefix: prefix, reverse: reverse)
            let expected = model.prefix(prefix, in: name, reverse: reverse)
            #expect(try cursor.collect(limit: limit).model == Array(expected.prefix(limit)), "scan \(prefix), \(context)")
        case 68..<85:
            let (lower, upper) = (bound(&rng), bound(&rng))
            let reverse = Bool.random(using: &rng)
            var cursor = try view.range(lower, upper, reverse: reverse)
            var expected = EngineFixtures.range(model, in: name, lower, upper, reverse: reverse)
            let read = Int.random(in: 0...3, using: &rng)
            #expect(try cursor.collect(limit: read).model == Array(expected.prefix(read)), "range, \(context)")
            if Bool.random(using: &rng) {
                // Seek somewhere (maybe back, maybe outside the range) and read the rest.
                let target = key(&rng)
                try cursor.seek(to: target)
                expected = expected.filter { reverse ? !ReferenceModel.precedes(target, $0.key) : !ReferenceModel.precedes($0.key, target) }
                #expect(try Array(cursor).model == expected, "seek \(target) \(lower) \(upper) reverse \(reverse), \(context)")
            } else {
                #expect(try Array(cursor).model == Array(expected.dropFirst(read)), "range rest, \(context)")
            }
        case 85..<92:
            #expect(try view.count == model.count(in: name), "count, \(context)")
            #expect(try view.isEmpty == (model.count(in: name) == 0), "isEmpty, \(context)")
        case 92..<96:
            let (lower, upper) = (bound(&rng), bound(&rng))
            #expect(try view.count(lower, upper) == EngineFixtures.range(model, in: name, lower, upper, reverse: false).count, "range count, \(context)")
        default:
            #expect(try view.first()?.model == model.first(in: name), "first, \(context)")
            #expect(try view.last()?.model == model.last(in: name), "last, \(context)")
        }
    }

    /// Keys of 1 to 3 bytes over a few byte values (0x00 and 0xFF among them), so that writes
    /// collide with committed keys and with each other, and prefixes nest.
    static func key(_ rng: inout SeededRandom) -> [UInt8] {
        let alphabet: [UInt8] = [0x00, 0x01, 0x41, 0x42, 0x80, 0xFF]
        return (0..<Int.random(in: 1...3, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
    }

    static func bound(_ rng: inout SeededRandom) -> KeyBound {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: .unbounded
        case 1: .included(key(&rng))
        default: .excluded(key(&rng))
        }
    }

}
