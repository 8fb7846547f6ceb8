import StrataGraph
import StrataTestSupport

/// A reproducible list of StrataGraph transactions that the campaigns run with `--workload graph`.
///
/// Generated from a seed alone, like ``Workload``. Nodes have fixed names drawn from small pools
/// (conversations `c0`…, their messages `c0.m0`…, entities `e0`…, memories `mem0`…, summaries
/// `c0.sum`), so that the graph keeps being written over: inserted, updated, linked, forgotten
/// and inserted again. Odd-numbered memories live in a second namespace (``otherNamespace``),
/// and vectors go into three spaces of different dimensions and metrics (``spaces``). Each operation is resolved against the transaction's own view when it
/// runs (``GraphWorkloadRunner``): an insert of a node that exists becomes an update, an edge to a
/// node that is gone is skipped. Every run of a workload on a healthy database therefore makes
/// exactly the same commits, which is what lets a clean reference run stand for the model.
public struct GraphWorkload: Sendable, CustomStringConvertible {
    /// One graph call inside a transaction.
    public enum Operation: Sendable, Equatable, CustomStringConvertible {
        /// Insert conversation `id`, or retitle it (a new version) if it exists.
        case conversation(String)
        /// Insert message `id` of `bytes` text bytes in `conversation` (a reply to `parent` when
        /// that exists); if the message exists, edit its text instead. Skipped without its conversation.
        case message(String, conversation: String, parent: String?, bytes: Int)
        /// Insert entity `id`, or change its summary.
        case entity(String)
        /// `from -MENTIONS-> to` (or `RELATES_TO` between entities), when both ends exist.
        case edge(from: String, to: String, relates: Bool)
        /// Invalidate the edge, when it exists and still holds.
        case invalidate(from: String, to: String, relates: Bool)
        /// Remove the edge, when it exists.
        case removeEdge(from: String, to: String, relates: Bool)
        /// Insert memory `id` (sourced from message `source` when that exists), expiring after
        /// `expiresIn` seconds if given; if it exists, change its importance.
        case memory(String, source: String?, expiresIn: Int?)
        /// Record an access to the node, when it exists.
        case access(String)
        /// Store (or replace) the node's vector in ``GraphWorkload/spaces``[`space`] (components
        /// from `seed`), when the node exists.
        case vector(String, space: Int, seed: UInt64)
        /// Remove the node's vector in ``GraphWorkload/spaces``[`space`], if any.
        case removeVector(String, space: Int)
        /// Insert `conversation`'s summary (`<conversation>.sum`), when the conversation exists.
        case summary(conversation: String)
        /// Delete the node and everything hanging off it (forget a conversation: its messages,
        /// their memories, edges and vectors, its summary), when it exists.
        case delete(String)
        /// Insert `count` messages of `bytes` text bytes each into `conversation` (inserted first
        /// if absent): the batch near `Limits.maxBatchBytes`.
        case bulk(conversation: String, count: Int, bytes: Int)

        public var description: String {
            switch self {
            case .conversation(let id): "conversation(\(id))"
            case .message(let id, let c, let p, let n): "message(\(id), in \(c), parent \(p ?? "-"), \(n) bytes)"
            case .entity(let id): "entity(\(id))"
            case .edge(let f, let t, let r): "edge(\(f) -\(r ? "RELATES_TO" : "MENTIONS")-> \(t))"
            case .invalidate(let f, let t, let r): "invalidate(\(f) -\(r ? "RELATES_TO" : "MENTIONS")-> \(t))"
            case .removeEdge(let f, let t, let r): "removeEdge(\(f) -\(r ? "RELATES_TO" : "MENTIONS")-> \(t))"
            case .memory(let id, let s, let e): "memory(\(id), source \(s ?? "-"), expires in \(e.map { "\($0) s" } ?? "never"))"
            case .access(let id): "access(\(id))"
            case .vector(let id, let space, let seed): "vector(\(id), in \(GraphWorkload.spaces[space].name), seed \(seed))"
            case .removeVector(let id, let space): "removeVector(\(id), in \(GraphWorkload.spaces[space].name))"
            case .summary(let c): "summary(\(c))"
            case .delete(let id): "delete(\(id))"
            case .bulk(let c, let n, let b): "bulk(\(c), \(n) messages of \(b) bytes)"
            }
        }
    }

    /// One step of a graph workload.
    public enum Step: Sendable, Equatable, CustomStringConvertible {
        /// One `MemoryStore.write`: every operation commits together or none does.
        case transaction([Operation], durable: Bool)
        /// `MemoryStore.expire(now:)`: the sweep of what has expired (one transaction here).
        case expire
        /// `Database.flush()`.
        case flush
        /// `Database.checkpoint()`.
        case checkpoint
        /// Close the database and open it and the store again.
        case reopen
        /// `MemoryStore.rebuildIndexes(batchSize:)`: a transaction clearing the derived trees,
        /// then one per `batchSize` records, so a crash, kill or fault can land between batches.
        case rebuild(batchSize: Int)
        /// `MemoryStore.repairVectorIndex(batchSize:)`: every graph's tombstones repaired, one
        /// transaction per batch of `batchSize` nodes, so a crash, kill or fault can land inside.
        case repairVectors(batchSize: Int)

        public var description: String {
            switch self {
            case .transaction(let operations, let durable):
                "transaction(durable: \(durable), [\(operations.map(\.description).joined(separator: ", "))])"
            case .expire: "expire"
            case .flush: "flush"
            case .checkpoint: "checkpoint"
            case .reopen: "reopen"
            case .rebuild(let batchSize): "rebuild(batchSize: \(batchSize))"
            case .repairVectors(let batchSize): "repairVectors(batchSize: \(batchSize))"
            }
        }
    }

    /// The namespace every node but the odd-numbered memories lives in.
    public static let namespace = "agent"
    /// The namespace of the odd-numbered memories (`mem1`, `mem3`, …): a second tenant, whose
    /// vectors a search in ``namespace`` must never return.
    public static let otherNamespace = "agent.b"
    /// The namespace the node called `id` lives in.
    public static func namespace(of id: String) -> String {
        guard id.hasPrefix("mem"), let number = Int(id.dropFirst(3)), number % 2 == 1 else { return namespace }
        return otherNamespace
    }
    /// The embedding spaces every workload defines (in one transaction, at the start): a cosine
    /// space of 8 dimensions (one SIMD block), an L2 space of 3 and a dot space of 12 (a block
    /// and a tail).
    public static let spaces = [
        EmbeddingSpace(name: "text-8", model: "campaign", dimension: 8, metric: .cosine),
        EmbeddingSpace(name: "code-3", model: "campaign-code", dimension: 3, metric: .l2),
        EmbeddingSpace(name: "image-12", model: "campaign-image", dimension: 12, metric: .dot),
    ]
    /// The first space's name.
    public static let space = spaces[0].name
    /// The first space's dimension.
    public static let dimension = spaces[0].dimension

    /// The vector `seed` makes in `space`: components in [-1, 1] in steps of 1/1000 (seeds
    /// below 4 make the same vector for every node: ties in distance).
    public static func vector(seed: UInt64, space: Int) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<spaces[space].dimension).map { _ in Float(Int.random(in: -1000...1000, using: &random)) / 1000 }
    }

    /// The seed the workload was generated from.
    public let seed: UInt64
    /// The steps, run after the store is created and the space defined.
    public var steps: [Step]
    /// The segment GC ratio the database is opened with.
    public var segmentGCRatio: Double

    /// Whether a step is the batch near the bound (slow to run and check).
    public var hasBigBatch: Bool {
        steps.contains { step in
            guard case .transaction(let operations, _) = step else { return false }
            return operations.contains { if case .bulk = $0 { true } else { false } }
        }
    }

    /// Generates `count` steps from `seed`; one workload in `bigBatchOneIn` (0: none) gets a
    /// batch of 48 MB of messages (95 % of `Limits.maxBatchBytes`), followed at once by forgetting their conversation.
    public init(seed: UInt64, steps count: Int, bigBatchOneIn: Int = 0) {
        var rng = SeededRandom(seed: seed)
        self.seed = seed
        segmentGCRatio = [0.2, 0.5, 0.8, 0.95].randomElement(using: &rng)!
        let conversations = [2, 4, 8].randomElement(using: &rng)!
        let messagesPerConversation = [4, 12].randomElement(using: &rng)!
        let entities = [4, 12].randomElement(using: &rng)!
        let durableChance = [0.05, 0.3, 0.7].randomElement(using: &rng)!
        func conversation(_ rng: inout SeededRandom) -> String { "c\(Int.random(in: 0..<conversations, using: &rng))" }
        func message(_ rng: inout SeededRandom) -> (id: String, conversation: String) {
            let c = conversation(&rng)
            return ("\(c).m\(Int.random(in: 0..<messagesPerConversation, using: &rng))", c)
        }
        func entity(_ rng: inout SeededRandom) -> String { "e\(Int.random(in: 0..<entities, using: &rng))" }
        func memory(_ rng: inout SeededRandom) -> String { "mem\(Int.random(in: 0..<entities, using: &rng))" }
        func anyNode(_ rng: inout SeededRandom) -> String {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: conversation(&rng)
            case 1: message(&rng).id
            case 2: entity(&rng)
            default: memory(&rng)
            }
        }
        func operation(_ rng: inout SeededRandom) -> Operation {
            let roll = Int.random(in: 0..<1000, using: &rng)
            switch roll {
            case ..<70: return .conversation(conversation(&rng))
            case ..<330:
                let (id, c) = message(&rng)
                let parent = Bool.random(using: &rng) ? message(&rng).id : nil
                let big = Int.random(in: 0..<20, using: &rng) == 0
                let bytes = big ? Int.random(in: 1000...12000, using: &rng) : Int.random(in: 1...300, using: &rng)
                return .message(id, conversation: c, parent: parent.map { c + "." + $0.split(separator: ".")[1] }, bytes: bytes)
            case ..<410: return .entity(entity(&rng))
            case ..<560:
                let relates = Int.random(in: 0..<4, using: &rng) == 0
                return .edge(from: relates ? entity(&rng) : message(&rng).id, to: entity(&rng), relates: relates)
            case ..<600:
                let relates = Bool.random(using: &rng)
                return .invalidate(from: relates ? entity(&rng) : message(&rng).id, to: entity(&rng), relates: relates)
            case ..<630:
                let relates = Bool.random(using: &rng)
                return .removeEdge(from: relates ? entity(&rng) : message(&rng).id, to: entity(&rng), relates: relates)
            case ..<720:
                let expires = Int.random(in: 0..<3, using: &rng) == 0 ? Int.random(in: 5...400, using: &rng) : nil
                return .memory(memory(&rng), source: Bool.random(using: &rng) ? message(&rng).id : nil, expiresIn: expires)
            case ..<760: return .access(anyNode(&rng))
            case ..<840:
                // One vector in four from a few shared seeds: equal vectors, ties in distance.
                let space = Int.random(in: 0..<Self.spaces.count, using: &rng)
                let seed = Int.random(in: 0..<4, using: &rng) == 0 ? UInt64.random(in: 0..<4, using: &rng) : rng.next()
                return .vector(anyNode(&rng), space: space, seed: seed)
            case ..<860: return .removeVector(anyNode(&rng), space: Int.random(in: 0..<Self.spaces.count, using: &rng))
            case ..<890: return .summary(conversation: conversation(&rng))
            case ..<950: return .delete(conversation(&rng))
            default: return .delete(anyNode(&rng))
            }
        }
        var steps: [Step] = []
        steps.reserveCapacity(count)
        for _ in 0..<count {
            let roll = Int.random(in: 0..<1000, using: &rng)
            if roll < 40 {
                steps.append(.flush)
            } else if roll < 70 {
                steps.append(.checkpoint)
            } else if roll < 80 {
                steps.append(.reopen)
            } else if roll < 130 {
                steps.append(.expire)
            } else if roll < 155 {
                // One step in 40; batch sizes 2, 4, … 64, so small ones (many batches) are common.
                steps.append(.rebuild(batchSize: 1 << Int.random(in: 1...6, using: &rng)))
            } else if roll < 185 {
                // Repairs of the vector index in batches of 1 to 8 nodes (it runs only with tombstones).
                steps.append(.repairVectors(batchSize: 1 << Int.random(in: 0...3, using: &rng)))
            } else if roll < 215 {
                // A bulk vector write: many setVector in one transaction, some replacing a vector
                // just set on the same node with the same bytes or with new ones.
                var operations: [Operation] = []
                for _ in 0..<Int.random(in: 8...40, using: &rng) {
                    if case .vector(let id, let space, let seed)? = operations.last, Int.random(in: 0..<4, using: &rng) == 0 {
                        operations.append(.vector(id, space: space, seed: Bool.random(using: &rng) ? seed : rng.next()))
                    } else {
                        operations.append(.vector(anyNode(&rng), space: Int.random(in: 0..<Self.spaces.count, using: &rng), seed: rng.next()))
                    }
                }
                steps.append(.transaction(operations, durable: Double.random(in: 0..<1, using: &rng) < durableChance))
            } else {
                let size = Int.random(in: 0..<10, using: &rng) < 6 ? 1 : Int.random(in: 2...30, using: &rng)
                let operations = (0..<size).map { _ in operation(&rng) }
                steps.append(.transaction(operations, durable: Double.random(in: 0..<1, using: &rng) < durableChance))
            }
        }
        var extra = SeededRandom(seed: seed ^ 0x6A09_E667_F3BC_C908)
        if bigBatchOneIn > 0, Int.random(in: 0..<bigBatchOneIn, using: &extra) == 0, !steps.isEmpty {
            // 12 messages of 4,000,000 bytes: 48 MB of text, 95 % of the 48 MiB bound with the
            // records' other fields and index entries.
            let position = Int.random(in: 0...steps.count, using: &extra)
            steps.insert(.transaction([.delete("cbig")], durable: Bool.random(using: &extra)), at: position)
            steps.insert(
                .transaction([.bulk(conversation: "cbig", count: 12, bytes: 4_000_000)], durable: Bool.random(using: &extra)),
                at: position)
        }
        self.steps = steps
    }

    public var description: String {
        "graph workload seed \(seed), gc ratio \(segmentGCRatio), \(steps.count) steps:\n"
            + steps.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
    }
}
