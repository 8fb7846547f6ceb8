import StrataEngine
import StrataTestSupport
import Testing

/// Shared set-up for the engine suites: a configuration small enough that pages split and
/// merge, checkpoints run and segments are collected within a few thousand operations, and
/// helpers that read a whole database into a ``ReferenceModel``.
enum EngineFixtures {
    /// Small budgets: 1 KiB pages (values over 512 bytes out of line), 64 KiB segments, dirty and WAL budgets, 1 MiB cache, no
    /// background flush (so durability is exactly what the test asks for).
    static func smallConfiguration(_ fileSystem: any FileSystem) -> Database.Configuration {
        var configuration = Database.Configuration(fileSystem: fileSystem)
        configuration.pageSize = 1024
        configuration.segmentSize = 64 << 10
        configuration.dirtyBytes = 64 << 10
        configuration.walBytes = 64 << 10
        configuration.cacheBytes = 1 << 20
        configuration.largeValueThreshold = 512
        configuration.segmentGCRatio = 0.7
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        return configuration
    }

    /// Every tree of `db` and every entry, read through the public API.
    static func contents(of db: Database) throws -> ReferenceModel {
        var model = ReferenceModel()
        for name in try db.treeNames() {
            model.createTree(name)
            guard let tree = try db.existingTree(name) else {
                Issue.record("tree \(name) is listed but existingTree returns nil")
                continue
            }
            var cursor = try tree.range(.unbounded, .unbounded)
            while let entry = try cursor.next() { model.insert(entry.value, forKey: entry.key, in: name) }
        }
        return model
    }

    /// Every tree in `snapshot`, given the handles of the trees it should hold.
    static func contents(of snapshot: Snapshot, trees: [String: Tree]) throws -> ReferenceModel {
        var model = ReferenceModel()
        for (name, tree) in trees {
            model.createTree(name)
            var cursor = try snapshot[tree].range(.unbounded, .unbounded)
            while let entry = try cursor.next() { model.insert(entry.value, forKey: entry.key, in: name) }
        }
        return model
    }

    /// A short text for a failure message: where two models first differ.
    static func difference(_ expected: ReferenceModel, _ actual: ReferenceModel) -> String {
        guard expected.treeNames == actual.treeNames else {
            return "trees differ: expected \(expected.treeNames), found \(actual.treeNames)"
        }
        for name in expected.treeNames {
            let e = expected.entries(in: name)
            let a = actual.entries(in: name)
            if e != a {
                let index = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
                return "tree \(name): \(e.count) entries expected, \(a.count) found; first difference at \(index): "
                    + "expected \(index < e.count ? "\(e[index].key)" : "end"), found \(index < a.count ? "\(a[index].key)" : "end")"
            }
        }
        return "no difference"
    }

    /// A key drawn from a small space (so overwrites and removes hit), with first bytes that
    /// include 0x00 and 0xFF so prefix scans meet the edges of the byte range.
    static func key(_ rng: inout SeededRandom, space: Int = 1500) -> [UInt8] {
        let leads: [UInt8] = [0x00, 0x41, 0x42, 0xFE, 0xFF]
        let lead = leads[Int.random(in: 0..<leads.count, using: &rng)]
        let n = UInt16(Int.random(in: 0..<space, using: &rng))
        var key: [UInt8] = [lead, UInt8(n >> 8), UInt8(n & 0xFF)]
        // A few keys are longer, and some share another key as a prefix.
        if n % 7 == 0 { key += [UInt8](repeating: UInt8(n % 251), count: Int(n % 13)) }
        return key
    }

    /// A value: usually small, sometimes empty, sometimes large enough to go out of line.
    static func value(_ rng: inout SeededRandom, largeChance: Double = 0.03) -> [UInt8] {
        if Double.random(in: 0..<1, using: &rng) < largeChance {
            return rng.bytes(count: Int.random(in: 1025...20_000, using: &rng))
        }
        return rng.bytes(count: Int.random(in: 0...120, using: &rng))
    }

    /// A random bound: unbounded, or a random key (present or not) included or excluded.
    static func bound(_ rng: inout SeededRandom) -> KeyBound {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return .unbounded
        case 1, 2: return .included(key(&rng))
        default: return .excluded(key(&rng))
        }
    }

    /// The model's answer for a range given as ``KeyBound``s.
    static func range(
        _ model: ReferenceModel, in tree: String, _ lower: KeyBound, _ upper: KeyBound, reverse: Bool
    ) -> [ReferenceModel.Entry] {
        func split(_ bound: KeyBound) -> ([UInt8]?, Bool) {
            switch bound {
            case .included(let key): (key, true)
            case .excluded(let key): (key, false)
            case .unbounded: (nil, true)
            }
        }
        let (low, lowIn) = split(lower)
        let (high, highIn) = split(upper)
        return model.range(
            in: tree, lower: low, lowerInclusive: lowIn, upper: high, upperInclusive: highIn, reverse: reverse)
    }
}

extension Entry {
    /// The same entry as the model spells it.
    var model: ReferenceModel.Entry { ReferenceModel.Entry(key: key, value: value) }
}

extension [Entry] {
    /// The same entries as the model spells them.
    var model: [ReferenceModel.Entry] { map(\.model) }
}

/// An error thrown by tests to make a transaction roll back.
struct RollbackRequested: Error {}
