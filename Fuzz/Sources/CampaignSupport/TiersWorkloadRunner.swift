#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import StrataTiers
import Synchronization

/// Runs a ``TiersWorkload`` on a ``TieredMemoryStore`` whose tiers all live on the campaign's
/// file system, keeping the ``TiersModel`` of what returned. Every write is synced; a step whose
/// records are missing or (for a write) outside `active` is skipped, the same way in every run.
public struct TiersWorkloadRunner {
    /// What a run did.
    public struct Outcome {
        /// The model after the last step that returned, with the step that threw (if any) uncertain.
        public var model: TiersModel
        /// The first error; the run stops there.
        public var error: (any Error)?
        /// The step that threw (-1: the open).
        public var failedStep: Int?
        /// The store, still open if no step failed.
        public var store: TieredMemoryStore?
        /// The clock's time when the run stopped.
        public var now: Date
    }

    public static let namespace = "u"
    public static let space = "e"
    /// The clock's start: 2026-09-01T00:00:00Z.
    public static let start = Date(timeIntervalSince1970: 1_788_220_800)

    public let workload: TiersWorkload
    public let root: String
    public let fileSystem: any FileSystem

    public init(workload: TiersWorkload, root: String, fileSystem: any FileSystem) {
        self.workload = workload
        self.root = root
        self.fileSystem = fileSystem
    }

    /// The tiered store's settings in the campaign: the engine's tiny campaign budgets, 30 and 90
    /// days, two open tiers at most, batches of four records, promotion after two accesses.
    public static func configuration(fileSystem: any FileSystem, clock: TiersClock) -> TieredMemoryStore.Configuration {
        let memory = MemoryStore.Configuration(engine: WorkloadRunner.configuration(fileSystem: fileSystem), versionRetention: 2)
        var configuration = TieredMemoryStore.Configuration(
            memory: memory, maxOpenTiers: 2, idleClose: 86_400, clock: { clock.now })
        configuration.moveBatchSize = 4
        configuration.promoteAfterAccesses = 2
        configuration.promoteWithin = 30 * 86_400
        return configuration
    }

    /// The vector of a message: four numbers from its id.
    static func vector(_ id: NodeID) -> [Float] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(id)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (0..<4).map { Float((hash >> UInt64(16 * $0)) & 0xffff) / 65_536 }
    }

    /// The tier a `move` step's target number names for a record created at `createdAt`.
    static func target(_ number: Int, createdAt: Date) -> Tier {
        switch number {
        case 0: .active
        case 1: .recent
        case 2: .archive(holding: createdAt)
        default: .archive(year: 2025 + (number - 3 + 1) / 4, quarter: (number - 3 + 1) % 4 + 1)
        }
    }

    /// Opens (creating) the store, defines the space, runs every step; stops at the first error.
    public func run() -> Outcome {
        let clock = TiersClock(Self.start)
        let configuration = Self.configuration(fileSystem: fileSystem, clock: clock)
        var model = TiersModel()
        var pending: TiersModel?
        var store: TieredMemoryStore?
        var nextMessage: [Int: Int] = [:]
        var index = -1
        /// Runs `body`, the writes that take the model to `next`.
        func commit(_ next: TiersModel, _ body: () throws -> Void) throws {
            pending = next
            try body()
            model = next
            pending = nil
        }
        do {
            let opened = try TieredMemoryStore.open(at: root, configuration: configuration)
            store = opened
            try opened.active.write(durability: .synced) {
                try $0.define(EmbeddingSpace(name: Self.space, model: "campaign", dimension: 4, metric: .l2))
            }
            for (stepIndex, step) in workload.steps.enumerated() {
                index = stepIndex
                guard let current = store else { break }
                try run(step, current, clock: clock, model: model, nextMessage: &nextMessage, commit: commit, reopen: {
                    store = nil
                    try current.close()
                    store = try TieredMemoryStore.open(at: root, configuration: configuration)
                })
            }
        } catch {
            let now = clock.now
            let model = pending.map { model.uncertain(toward: $0) } ?? model
            return Outcome(model: model, error: error, failedStep: index, store: store, now: now)
        }
        return Outcome(model: model, error: nil, failedStep: nil, store: store, now: clock.now)
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private func run(
        _ step: TiersWorkload.Step, _ store: TieredMemoryStore, clock: TiersClock, model: TiersModel, nextMessage: inout [Int: Int],
        commit: (TiersModel, () throws -> Void) throws -> Void, reopen: () throws -> Void
    ) throws {
        let now = clock.now
        let ns = Self.namespace
        func inActive(_ id: NodeID) throws -> Bool {
            guard model.records[id] != nil else { return false }
            return try store.tier(of: id) == .active
        }
        func message(_ conversation: Int, _ index: Int) -> NodeID? {
            let messages = model.messages(of: NodeID("c\(conversation)"))
            return messages.isEmpty ? nil : messages[index % messages.count]
        }
        switch step {
        case .conversation(let n, let age, let count):
            let id = NodeID("c\(n)")
            guard model.records[id] == nil, !model.gone.contains(id) else { return }
            let created = now.addingTimeInterval(-age * 86_400)
            var nodes = [Node(id: id, namespace: ns, createdAt: created, .conversation(Conversation(title: "chat \(n)")))]
            for i in 0..<count {
                nodes.append(Node(
                    id: NodeID("c\(n)-m\(i)"), namespace: ns, createdAt: min(now, created.addingTimeInterval(Double(i + 1) * 60)),
                    .message(Message(conversation: id, role: .user, text: "message \(i) of chat \(n)"))))
            }
            nextMessage[n] = count
            var next = model
            for node in nodes { next.records[node.id] = .init(node, hasVector: node.kind == .message) }
            try commit(next) {
                try store.active.write(durability: .synced) { graph in
                    for node in nodes {
                        try graph.insert(node)
                        if node.kind == .message { try graph.setVector(Self.vector(node.id), for: node.id, in: Self.space) }
                    }
                }
            }
        case .message(let n, let age):
            let conversation = NodeID("c\(n)")
            guard let record = model.records[conversation], try inActive(conversation) else { return }
            let i = nextMessage[n, default: 0]
            nextMessage[n] = i + 1
            let created = max(record.createdAt, now.addingTimeInterval(-age * 86_400))
            let node = Node(
                id: NodeID("c\(n)-m\(i)"), namespace: ns, createdAt: created,
                .message(Message(conversation: conversation, role: .assistant, text: "late message \(i) of chat \(n)")))
            var next = model
            next.records[node.id] = .init(node, hasVector: true)
            try commit(next) {
                try store.active.write(durability: .synced) { graph in
                    try graph.insert(node)
                    try graph.setVector(Self.vector(node.id), for: node.id, in: Self.space)
                }
            }
        case .entity(let n, let age):
            let id = NodeID("e\(n)")
            guard model.records[id] == nil, !model.gone.contains(id) else { return }
            let node = Node(id: id, namespace: ns, createdAt: now.addingTimeInterval(-age * 86_400), .entity(Entity(type: .concept, name: "Topic\(n)")))
            var next = model
            next.records[id] = .init(node, hasVector: false)
            try commit(next) { _ = try store.active.write(durability: .synced) { try $0.insert(node) } }
        case .mention(let n, let index, let e):
            let entity = NodeID("e\(e)")
            guard let from = message(n, index), try inActive(from), try inActive(entity) else { return }
            let mention = TiersModel.Mention(from: from, to: entity)
            guard !model.mentions.contains(mention) else { return }
            var next = model
            next.mentions.insert(mention)
            try commit(next) {
                try store.active.write(durability: .synced) { try $0.addEdge(Edge(from: from, type: .mentions, to: entity)) }
            }
        case .advance(let days):
            clock.advance(days * 86_400)
        case .migrate(let batches):
            try store.migrate(maxBatches: batches)
        case .move(let n, let isEntity, let number):
            let id = NodeID(isEntity ? "e\(n)" : "c\(n)")
            guard let record = model.records[id] else { return }
            try store.move([id], to: Self.target(number, createdAt: record.createdAt))
        case .access(let n, let isEntity, let index):
            guard let id = isEntity ? NodeID("e\(n)") : message(n, index), model.records[id] != nil else { return }
            try store.recordAccess(id)
        case .forget(let n, let isEntity):
            let id = NodeID(isEntity ? "e\(n)" : "c\(n)")
            guard try inActive(id) else { return }
            var next = model
            let removed = [id] + (isEntity ? [] : model.messages(of: id))
            for gone in removed {
                next.records[gone] = nil
                next.gone.insert(gone)
            }
            next.mentions = next.mentions.filter { !removed.contains($0.from) && !removed.contains($0.to) }
            try commit(next) { _ = try store.active.write(durability: .synced) { try $0.delete(id) } }
        case .roundTrip(let n, let index):
            guard let id = message(n, index), try inActive(id) else { return }
            for mention in model.mentions where mention.from == id {
                guard try inActive(mention.to) else { return }
            }
            var evicted = model
            evicted.records[id] = nil
            evicted.gone.insert(id)
            evicted.mentions = model.mentions.filter { $0.from != id && $0.to != id }
            var export: RecordExport?
            try commit(evicted) {
                try store.active.write(durability: .synced) { graph in
                    export = try graph.export(id)
                    try graph.evict(id)
                }
            }
            var restored = model
            restored.gone = model.gone
            try commit(restored) { _ = try store.active.write(durability: .synced) { try $0.importRecord(export!) } }
        case .compact(let rounds):
            _ = try store.compactColdTiers(rounds: rounds)
        case .closeIdle:
            try store.closeIdleTiers()
        case .reopen:
            try reopen()
        }
    }
}

/// The campaign's clock: settable, shared with the store's configuration.
public final class TiersClock: Sendable {
    private let seconds: Atomic<Int64>

    public init(_ start: Date) { seconds = Atomic(Int64(start.timeIntervalSince1970)) }

    /// The clock's time.
    public var now: Date { Date(timeIntervalSince1970: Double(seconds.load(ordering: .relaxed))) }

    /// Moves the clock on by `interval` seconds.
    public func advance(_ interval: TimeInterval) { seconds.add(Int64(interval), ordering: .relaxed) }
}
