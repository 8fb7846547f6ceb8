import StrataEngine
import StrataTestSupport

/// A reproducible list of steps that a campaign runs against a database.
///
/// A workload is generated from a seed alone (``init(seed:steps:)``), so a parent process, a
/// shrinker or a person reproducing a failure can rebuild it and its model from the seed.
public struct Workload: Sendable, CustomStringConvertible {
    /// One change inside a commit.
    public enum Mutation: Sendable, Equatable, CustomStringConvertible {
        /// Insert or overwrite `key` in tree `tree` with `value`.
        case put(tree: Int, key: [UInt8], value: [UInt8])
        /// Remove `key` from tree `tree` (a no-op when absent).
        case remove(tree: Int, key: [UInt8])
        /// Read `key` inside the transaction and write back the old value (or nothing) followed
        /// by `suffix`: a read-modify-write.
        case append(tree: Int, key: [UInt8], suffix: [UInt8])
        /// Remove every key of tree `tree`.
        case clear(tree: Int)

        public var description: String {
            switch self {
            case .put(let t, let k, let v): "put(t\(t), \(Workload.text(k)), \(v.count) bytes)"
            case .remove(let t, let k): "remove(t\(t), \(Workload.text(k)))"
            case .append(let t, let k, let s): "append(t\(t), \(Workload.text(k)), \(s.count) bytes)"
            case .clear(let t): "clear(t\(t))"
            }
        }
    }

    /// One step of a workload.
    public enum Step: Sendable, Equatable, CustomStringConvertible {
        /// One atomic transaction over any trees; synced before returning when `durable`.
        case commit([Mutation], durable: Bool)
        /// `Database.flush()`.
        case flush
        /// `Database.checkpoint()`.
        case checkpoint
        /// `close()` then `open` again (a clean restart).
        case reopen

        public var description: String {
            switch self {
            case .commit(let m, let durable):
                "commit(durable: \(durable), [\(m.map(\.description).joined(separator: ", "))])"
            case .flush: "flush"
            case .checkpoint: "checkpoint"
            case .reopen: "reopen"
            }
        }
    }

    /// The trees every workload creates first, in this order.
    public static let treeNames = ["t0", "t1", "t2"]

    /// The settings each tree is created with: "t2" stores every value over 64 bytes in its
    /// own blob and never compresses (as a vector index would), the others follow the configuration.
    public static func settings(of name: String) -> TreeSettings {
        name == "t2" ? TreeSettings(largeValueThreshold: 64, compression: false) : .default
    }

    /// The seed the workload was generated from.
    public let seed: UInt64
    /// The steps, run in order after the trees are created.
    public var steps: [Step]
    /// The segment GC ratio the database is opened with (varied so GC runs at different rates).
    public var segmentGCRatio: Double

    /// Generates `count` steps from `seed`.
    public init(seed: UInt64, steps count: Int) {
        var rng = SeededRandom(seed: seed)
        self.seed = seed
        segmentGCRatio = [0.2, 0.5, 0.8, 0.95].randomElement(using: &rng)!
        let keySpace = [24, 120, 600].randomElement(using: &rng)!
        let durableChance = [0.05, 0.3, 0.7].randomElement(using: &rng)!
        func key(_ rng: inout SeededRandom) -> [UInt8] {
            Array("k\(Int.random(in: 0..<keySpace, using: &rng))".utf8)
        }
        func value(_ rng: inout SeededRandom) -> [UInt8] {
            let roll = Int.random(in: 0..<100, using: &rng)
            let size: Int
            if roll < 65 {
                size = Int.random(in: 0...64, using: &rng)
            } else if roll < 88 {
                size = Int.random(in: 65...400, using: &rng)
            } else {
                size = Int.random(in: 1025...3000, using: &rng)
            }
            return rng.bytes(count: size)
        }
        var steps: [Step] = []
        steps.reserveCapacity(count)
        for _ in 0..<count {
            let roll = Int.random(in: 0..<1000, using: &rng)
            if roll < 40 {
                steps.append(.flush)
            } else if roll < 75 {
                steps.append(.checkpoint)
            } else if roll < 85 {
                steps.append(.reopen)
            } else {
                let batch = Int.random(in: 0..<10, using: &rng) < 7 ? 1 : Int.random(in: 2...12, using: &rng)
                var mutations: [Mutation] = []
                for _ in 0..<batch {
                    let tree = Int.random(in: 0..<Workload.treeNames.count, using: &rng)
                    let kind = Int.random(in: 0..<1000, using: &rng)
                    if kind < 600 {
                        mutations.append(.put(tree: tree, key: key(&rng), value: value(&rng)))
                    } else if kind < 820 {
                        mutations.append(.remove(tree: tree, key: key(&rng)))
                    } else if kind < 995 {
                        mutations.append(.append(tree: tree, key: key(&rng), suffix: rng.bytes(count: Int.random(in: 1...40, using: &rng))))
                    } else {
                        mutations.append(.clear(tree: tree))
                    }
                }
                steps.append(.commit(mutations, durable: Double.random(in: 0..<1, using: &rng) < durableChance))
            }
        }
        self.steps = steps
    }

    public var description: String {
        "workload seed \(seed), gc ratio \(segmentGCRatio), \(steps.count) steps:\n"
            + steps.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
    }

    static func text(_ key: [UInt8]) -> String { String(decoding: key, as: UTF8.self) }
}
