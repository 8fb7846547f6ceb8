import StrataTestSupport

/// Seeded random steps over a ``TieredMemoryStore`` (`crash-campaign --workload tiers`): inserts
/// of conversations with messages, entities and `MENTIONS` edges created over about fourteen
/// months, clock advances, migrate batches, explicit moves (to any tier), accesses (promotion
/// after two), forgets, an export–evict–import round trip, cold-tier compaction, idle closes and
/// reopens. Steps name records by number; ``TiersWorkloadRunner`` skips a step whose records
/// are gone or (for a write) not in `active`, so every step list, shrunk or not, runs cleanly.
public struct TiersWorkload: CustomStringConvertible, Sendable {
    /// One step. Record numbers: conversation `c<n>` (its messages `c<n>-m<i>`), entity `e<n>`.
    public enum Step: CustomStringConvertible, Sendable {
        /// A conversation created `ageDays` before now with `messages` messages a minute apart, each with a vector.
        case conversation(Int, ageDays: Double, messages: Int)
        /// One more message in conversation `c<n>` (if it is in active), `ageDays` old (not older than it).
        case message(conversation: Int, ageDays: Double)
        /// An entity created `ageDays` before now.
        case entity(Int, ageDays: Double)
        /// A `MENTIONS` edge from the `index`-th message (modulo its count) of `c<n>` to `e<m>`, if both are in active.
        case mention(conversation: Int, index: Int, entity: Int)
        /// The clock moves on.
        case advance(days: Double)
        /// `migrate(maxBatches:)`.
        case migrate(maxBatches: Int)
        /// `move([root], to:)` of `c<n>` (or `e<n>` when `entity`) to a tier: 0 active, 1 recent,
        /// 2 the archive of its creation, 3 and up a quarter of 2025–2027.
        case move(Int, entity: Bool, target: Int)
        /// `recordAccess` of a conversation's `index`-th message (or `e<n>`).
        case access(Int, entity: Bool, index: Int)
        /// `active.forget` of `c<n>` or `e<n>`, if it is in active.
        case forget(Int, entity: Bool)
        /// Export the `index`-th message of `c<n>` (in active, all its edges inside active), evict
        /// it in one transaction, import the export in the next.
        case roundTrip(conversation: Int, index: Int)
        /// `compactColdTiers(rounds:)`.
        case compact(rounds: Int)
        /// `closeIdleTiers()`.
        case closeIdle
        /// Close the tiered store and open it again.
        case reopen

        public var description: String {
            switch self {
            case .conversation(let n, let age, let messages): "conversation c\(n) age \(age) d, \(messages) messages"
            case .message(let n, let age): "message in c\(n) age \(age) d"
            case .entity(let n, let age): "entity e\(n) age \(age) d"
            case .mention(let n, let index, let entity): "mention c\(n) message \(index) -> e\(entity)"
            case .advance(let days): "advance \(days) d"
            case .migrate(let batches): "migrate \(batches) batches"
            case .move(let n, let entity, let target): "move \(entity ? "e" : "c")\(n) to target \(target)"
            case .access(let n, let entity, let index): entity ? "access e\(n)" : "access c\(n) message \(index)"
            case .forget(let n, let entity): "forget \(entity ? "e" : "c")\(n)"
            case .roundTrip(let n, let index): "export, evict, import c\(n) message \(index)"
            case .compact(let rounds): "compact cold tiers, \(rounds) rounds"
            case .closeIdle: "close idle tiers"
            case .reopen: "reopen"
            }
        }
    }

    public let seed: UInt64
    public var steps: [Step]

    /// A workload of exactly `steps` (tests).
    public init(seed: UInt64, steps: [Step]) {
        self.seed = seed
        self.steps = steps
    }

    /// `count` steps drawn from `seed`.
    public init(seed: UInt64, steps count: Int) {
        self.seed = seed
        var random = SeededRandom(seed: seed ^ 0x7469_6572_73)
        var conversations = 0
        var entities = 0
        var steps: [Step] = []
        func pick(_ n: Int) -> Int { n == 0 ? 0 : Int.random(in: 0..<n, using: &random) }
        for _ in 0..<count {
            let roll = Int.random(in: 0..<100, using: &random)
            let age = Double(Int.random(in: 0...420, using: &random)) + 0.5
            switch roll {
            case 0..<18:
                steps.append(.conversation(conversations, ageDays: age, messages: Int.random(in: 1...4, using: &random)))
                conversations += 1
            case 18..<26: steps.append(.message(conversation: pick(conversations), ageDays: age))
            case 26..<34:
                steps.append(.entity(entities, ageDays: age))
                entities += 1
            case 34..<46: steps.append(.mention(conversation: pick(conversations), index: pick(6), entity: pick(entities)))
            case 46..<52: steps.append(.advance(days: Double(Int.random(in: 1...60, using: &random))))
            case 52..<64: steps.append(.migrate(maxBatches: Int.random(in: 1...4, using: &random)))
            case 64..<72:
                let entity = Bool.random(using: &random)
                steps.append(.move(pick(entity ? entities : conversations), entity: entity, target: pick(10)))
            case 72..<80:
                let entity = Int.random(in: 0..<4, using: &random) == 0
                steps.append(.access(pick(entity ? entities : conversations), entity: entity, index: pick(6)))
            case 80..<84:
                let entity = Bool.random(using: &random)
                steps.append(.forget(pick(entity ? entities : conversations), entity: entity))
            case 84..<89: steps.append(.roundTrip(conversation: pick(conversations), index: pick(6)))
            case 89..<92: steps.append(.compact(rounds: Int.random(in: 1...3, using: &random)))
            case 92..<95: steps.append(.closeIdle)
            default: steps.append(.reopen)
            }
        }
        self.steps = steps
    }

    public var description: String {
        "tiers workload seed \(seed), \(steps.count) steps:\n" + steps.enumerated().map { "  \($0.offset): \($0.element)" }.joined(separator: "\n")
    }
}
