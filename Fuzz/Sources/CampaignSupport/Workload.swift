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
        /// Insert a value of `length` bytes that takes the batch past `Limits.maxBatchBytes`:
        /// the insert must throw `invalidArgument` and change nothing (the transaction goes on
        /// and commits its other mutations).
        case putOverBound(tree: Int, key: [UInt8], length: Int)

        public var description: String {
            switch self {
            case .put(let t, let k, let v): "put(t\(t), \(Workload.text(k)), \(v.count) bytes)"
            case .remove(let t, let k): "remove(t\(t), \(Workload.text(k)))"
            case .append(let t, let k, let s): "append(t\(t), \(Workload.text(k)), \(s.count) bytes)"
            case .clear(let t): "clear(t\(t))"
            case .putOverBound(let t, let k, let n): "putOverBound(t\(t), \(Workload.text(k)), \(n) bytes)"
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
        /// Drops tree `tree` (one commit) and creates it again under the same name (another),
        /// writing through the handle taken before the drop after each when asked: such a
        /// write must throw `notFound` and change nothing.
        case dropAndRecreate(tree: Int, staleAfterDrop: StaleWrite?, staleAfterRecreate: StaleWrite?)

        public var description: String {
            switch self {
            case .commit(let m, let durable):
                "commit(durable: \(durable), [\(m.map(\.description).joined(separator: ", "))])"
            case .flush: "flush"
            case .checkpoint: "checkpoint"
            case .reopen: "reopen"
            case .dropAndRecreate(let t, let afterDrop, let afterRecreate):
                "dropAndRecreate(t\(t), stale after drop: \(afterDrop.map(\.description) ?? "none"), "
                    + "stale after re-create: \(afterRecreate.map(\.description) ?? "none"))"
            }
        }
    }

    /// A write through the handle of a tree that was dropped (and perhaps created again).
    public enum StaleWrite: Sendable, Equatable, CustomStringConvertible {
        /// `Tree.insert` (its own commit).
        case insert(key: [UInt8], value: [UInt8])
        /// `Transaction.remove` inside `write`.
        case remove(key: [UInt8])
        /// `Tree.clear()`.
        case clear

        public var description: String {
            switch self {
            case .insert(let k, let v): "insert(\(Workload.text(k)), \(v.count) bytes)"
            case .remove(let k): "remove(\(Workload.text(k)))"
            case .clear: "clear"
            }
        }
    }

    /// The step kinds added for issue 9, each off unless asked for (the kill campaign and old
    /// seeds generate exactly the steps they did before).
    public struct Options: Sendable, Equatable {
        /// Rarely (one workload in `bigBatchOneIn`) one commit of two values that bring the
        /// batch to just under `Limits.maxBatchBytes`.
        public var bigBatches = false
        /// In those big commits, a last put that would cross the bound (it must be refused
        /// with `invalidArgument`).
        public var overBoundBatches = false
        /// Sometimes (about one step in 50) drop and re-create a tree, writing through the old
        /// handle (it must be refused with `notFound`).
        public var staleHandles = false
        /// One workload in this many gets a big batch.
        public var bigBatchOneIn = 1000

        public init(bigBatches: Bool = false, overBoundBatches: Bool = false, staleHandles: Bool = false) {
            self.bigBatches = bigBatches
            self.overBoundBatches = overBoundBatches
            self.staleHandles = staleHandles
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

    /// Generates `count` steps from `seed` (and the steps `options` add, drawn from a second
    /// random stream so that the others stay as they were).
    public init(seed: UInt64, steps count: Int, options: Options) {
        self.init(seed: seed, steps: count)
        var extra = SeededRandom(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        if options.staleHandles {
            var widened: [Step] = []
            for step in steps {
                widened.append(step)
                guard Int.random(in: 0..<50, using: &extra) == 0 else { continue }
                func stale() -> StaleWrite? {
                    switch Int.random(in: 0..<4, using: &extra) {
                    case 0: .insert(key: Array("k\(Int.random(in: 0..<24, using: &extra))".utf8), value: extra.bytes(count: Int.random(in: 0...600, using: &extra)))
                    case 1: .remove(key: Array("k\(Int.random(in: 0..<24, using: &extra))".utf8))
                    case 2: .clear
                    default: nil
                    }
                }
                let tree = Int.random(in: 0..<Workload.treeNames.count, using: &extra)
                widened.append(.dropAndRecreate(tree: tree, staleAfterDrop: stale(), staleAfterRecreate: stale()))
            }
            steps = widened
        }
        if options.bigBatches, Int.random(in: 0..<options.bigBatchOneIn, using: &extra) == 0 {
            // Two values just under the bound together (the frame's own bytes and the keys fit
            // in the 64 KiB left), then, if asked, one that crosses it.
            let first = Limits.maxValueLength - (1 << 20)
            let second = Limits.maxBatchBytes - first - (64 << 10)
            func big(_ length: Int) -> [UInt8] {
                // Compressible (the checkpoint's blobs stay small), distinct at the start.
                var value = [UInt8](repeating: UInt8.random(in: 0...255, using: &extra), count: length)
                for i in 0..<16 { value[i] = UInt8.random(in: 0...255, using: &extra) }
                return value
            }
            let tree = Int.random(in: 0..<Workload.treeNames.count, using: &extra)
            var mutations: [Mutation] = [
                .put(tree: tree, key: Array("big0".utf8), value: big(first)),
                .put(tree: tree, key: Array("big1".utf8), value: big(second)),
            ]
            if options.overBoundBatches {
                mutations.append(.putOverBound(tree: tree, key: Array("big2".utf8), length: 128 << 10))
            }
            let position = Int.random(in: 0...steps.count, using: &extra)
            steps.insert(.commit(mutations, durable: Bool.random(using: &extra)), at: position)
        }
    }

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

    /// Whether a step writes a value of more than 1 MiB (a big batch: slow to run and check).
    public var hasBigBatch: Bool {
        steps.contains { step in
            guard case .commit(let mutations, _) = step else { return false }
            return mutations.contains { if case .put(_, _, let value) = $0 { value.count > 1 << 20 } else { false } }
        }
    }

    public var description: String {
        "workload seed \(seed), gc ratio \(segmentGCRatio), \(steps.count) steps:\n"
            + steps.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
    }

    static func text(_ key: [UInt8]) -> String { String(decoding: key, as: UTF8.self) }
}
