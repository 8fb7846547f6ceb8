#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

/// A tiered store with an old conversation (archive), a 45-day-old one (recent), a young one and
/// a young entity that messages of all three mention (edges that will cross tiers).
struct MoveFixture {
    let root: String
    /// The file system the tiers live on (nil: the real one, under a temporary directory).
    let fileSystem: (any FileSystem)?
    let clock = TestClock()
    var ids: [NodeID] = []
    let old: NodeID = "old", mid: NodeID = "mid", young: NodeID = "young", paris: NodeID = "paris"

    init(fileSystem: (any FileSystem)? = nil) throws {
        self.fileSystem = fileSystem
        root = fileSystem == nil ? temporaryRoot() : "/tiers"
        let store = try open()
        defer { try? store.close() }
        let now = clock.date
        let day = 86_400.0
        try store.active.write { graph in
            try graph.define(EmbeddingSpace(name: "e", model: "t", dimension: 2, metric: .l2))
            try graph.insert(Node(id: paris, namespace: "u", createdAt: now.addingTimeInterval(-day), .entity(Entity(type: .place, name: "Paris"))))
            for (root, age) in [(old, 200.0), (mid, 45.0), (young, 1.0)] {
                let start = now.addingTimeInterval(-age * day)
                try graph.insert(Node(id: root, namespace: "u", createdAt: start, .conversation(Conversation(title: "\(root)"))))
                for index in 0..<2 {
                    let id = NodeID("\(root)-m\(index)")
                    try graph.insert(Node(id: id, namespace: "u", createdAt: start.addingTimeInterval(Double(index + 1) * 60),
                                          .message(Message(conversation: root, role: .user, text: "\(root) \(index)"))))
                    try graph.setVector([Float(age), Float(index)], for: id, in: "e")
                }
                try graph.addEdge(Edge(from: NodeID("\(root)-m0"), type: .mentions, to: paris, weight: 0.5, properties: ["at": .string("\(root)")]))
                try graph.addEdge(Edge(from: NodeID("\(root)-m1"), type: .repliesTo, to: NodeID("\(root)-m0")))
            }
        }
        try store.active.update(NodeID("old-m0")) { $0.content = .message(Message(conversation: "old", role: .user, text: "edited")) }
        try store.active.recordAccess(NodeID("old-m1"), at: now.addingTimeInterval(-199 * day))
        ids = try store.nodes(in: "u").map(\.id)
    }

    func open(on fileSystem: (any FileSystem)? = nil) throws -> TieredMemoryStore {
        let clock = clock
        var configuration = TieredMemoryStore.Configuration(clock: { clock.date })
        if let fileSystem = fileSystem ?? self.fileSystem { configuration.memory.engine.fileSystem = fileSystem }
        configuration.moveBatchSize = 3
        return try TieredMemoryStore.open(at: root, configuration: configuration)
    }

    /// Everything a caller can read, tier-independent.
    func answers(_ store: TieredMemoryStore) throws -> [String] {
        var lines = ["ids \(try store.nodes(in: "u").map(\.id))"]
        for id in ids {
            lines.append("\(String(describing: try store.node(id)))")
            for direction in EdgeDirection.allCases { lines.append("\(direction) \(try store.edges(of: id, direction: direction))") }
        }
        for root in [old, mid, young] { lines.append("window \(String(describing: try store.messages(in: root)?.map(\.id)))") }
        lines.append("near \(try store.nearest(to: [45, 0], k: 8, in: "e", namespace: "u").hits.map(\.id))")
        return lines
    }

    /// Each tier's own store verifies clean, the catalog names each record's holder, and no
    /// record is held (catalogued) twice.
    func checkTiers(_ store: TieredMemoryStore) throws {
        for summary in try store.tiers() {
            let problems = try store.withTier(summary.tier) { try $0.verify().problems } ?? []
            #expect(problems == [], "tier \(summary.tier)")
        }
        for id in ids {
            let tier = try store.tier(of: id)
            let held = try store.withTier(tier) { try $0.node(id) != nil } ?? false
            #expect(held, "\(id) is not in \(tier), where the catalog places it")
        }
        #expect(try store.pendingMoves() == 0)
    }
}

/// Expects `actual` to equal `expected`, line by line (a mismatch names the line).
func expectSame(_ actual: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) where a != e { #expect(a == e, sourceLocation: sourceLocation) }
}

@Suite("Tier moves")
struct MoveTests {
    @Test("migrate demotes by age, keeps every answer, and edges across tiers resolve")
    func migrateKeepsAnswers() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let store = try fixture.open()
        defer { try? store.close() }
        let before = try fixture.answers(store)
        var lines: [MigrationProgress] = []
        let progress = try store.migrate { lines.append($0) }
        #expect(progress.records == 6)
        #expect(progress.batches == 2)
        #expect(lines.count == 2 && !progress.remaining)
        #expect(try store.tier(of: fixture.old) == .archive(year: 2026, quarter: 1))
        #expect(try store.tier(of: NodeID("old-m1")) == .archive(year: 2026, quarter: 1))
        #expect(try store.tier(of: fixture.mid) == .recent)
        #expect(try store.tier(of: fixture.young) == .active)
        #expect(try store.tier(of: fixture.paris) == .active)
        expectSame(try fixture.answers(store), before)
        #expect(try store.edges(of: fixture.paris, direction: .incoming).count == 3)
        try fixture.checkTiers(store)

        // 60 days on: recent → the archive of its quarter (a non-active source).
        fixture.clock.advance(days: 60)
        let later = try fixture.answers(store)
        #expect(try store.migrate().records == 7)  // mid to its archive; young and paris to recent
        #expect(try store.tier(of: fixture.paris) == .recent)
        #expect(try store.tier(of: fixture.mid) == .archive(year: 2026, quarter: 3))
        expectSame(try fixture.answers(store), later)
        try fixture.checkTiers(store)

        // Back to active: the crossing edges become ordinary ones again.
        #expect(try store.move([fixture.old], to: .active))
        #expect(try store.move([fixture.mid], to: .active))
        #expect(try store.tier(of: fixture.old) == .active)
        #expect(try store.tier(of: NodeID("mid-m0")) == .active)
        expectSame(try fixture.answers(store), later)
        #expect(try store.edges(of: fixture.paris, direction: .incoming).count == 3)
        try fixture.checkTiers(store)
        #expect(throws: StrataError.self) { try store.move(["absent"], to: .recent) }
    }

    @Test("A crash after any step of a batch is rolled forward at open: every record once", arguments: [
        TieredMemoryStore.MoveStep.journaled, .copied, .flipped,
    ])
    func crashAtEveryStep(step: TieredMemoryStore.MoveStep) throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        var store = try fixture.open()
        let before = try fixture.answers(store)
        // A first batch from active, then (60 days on, after the active batch) one from recent.
        for round in 0..<2 {
            if round == 1 {
                fixture.clock.advance(days: 60)
                while try store.plannedMoves(limit: 1).first?.source == .active { try store.migrate(maxBatches: 1) }
                #expect(try store.plannedMoves(limit: 1).first?.source == .recent)
            }
            if round == 1 || step != .flipped {
                store.crashPoint.withLock { $0 = step }
                #expect(throws: StrataError.self) { try store.migrate(maxBatches: 1) }
                #expect(try store.pendingMoves() == 1)
                try store.close()
                store = try fixture.open()
                #expect(store.recoveredMoves == 1)
                expectSame(try fixture.answers(store), before)
                try fixture.checkTiers(store)
            }
            try store.migrate()
            expectSame(try fixture.answers(store), before)
            try fixture.checkTiers(store)
        }
        #expect(try store.tier(of: fixture.mid) == .archive(year: 2026, quarter: 3))
        try store.close()
    }

    @Test("A record changed after it was copied is not evicted: recovery undoes the copy")
    func changedSourceUndoes() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        var store = try fixture.open()
        store.crashPoint.withLock { $0 = .copied }
        #expect(throws: StrataError.self) { try store.migrate(maxBatches: 1) }
        try store.close()
        let active = try MemoryStore.open(at: fixture.root + "/active")
        try active.update(NodeID("old-m1")) { $0.content = .message(Message(conversation: "old", role: .user, text: "late edit")) }
        try active.close()
        store = try fixture.open()
        defer { try? store.close() }
        #expect(store.recoveredMoves == 1)
        #expect(try store.tier(of: NodeID("old-m1")) == .active)
        #expect(try store.node(NodeID("old-m1"))?.message?.content == .text("late edit"))
        try fixture.checkTiers(store)
        #expect(try store.migrate().records == 6)
        #expect(try store.node(NodeID("old-m1"))?.message?.content == .text("late edit"))
        try fixture.checkTiers(store)
    }

    @Test("A message added to a unit while it is copied makes the batch undo, then move whole")
    func childAddedDuringCopy() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        var store = try fixture.open()
        store.crashPoint.withLock { $0 = .copied }
        #expect(throws: StrataError.self) { try store.migrate(maxBatches: 1) }
        try store.close()
        let active = try MemoryStore.open(at: fixture.root + "/active")
        let late = try active.insert(message(fixture.old, "late", at: fixture.clock.date.addingTimeInterval(-199 * 86_400)))
        try active.close()
        store = try fixture.open()
        defer { try? store.close() }
        #expect(store.recoveredMoves == 1)
        #expect(try store.tier(of: fixture.old) == .active)
        try fixture.checkTiers(store)
        try store.migrate()
        #expect(try store.tier(of: late.id) == .archive(year: 2026, quarter: 1))
        #expect(try store.messages(in: fixture.old)?.map(\.id).contains(late.id) == true)
        try fixture.checkTiers(store)
    }

    @Test("Accesses promote a record back to active with its unit; cold tiers compact")
    func promotionOnAccess() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        var configuration = TieredMemoryStore.Configuration(clock: { fixture.clock.date })
        configuration.promoteAfterAccesses = 3
        let store = try TieredMemoryStore.open(at: fixture.root, configuration: configuration)
        defer { try? store.close() }
        let before = try fixture.answers(store)
        try store.migrate()
        let archive = Tier.archive(year: 2026, quarter: 1)
        #expect(try store.recordAccess(NodeID("old-m0")) == archive)
        fixture.clock.advance(days: 1)
        #expect(try store.recordAccess(NodeID("old-m0")) == archive)
        fixture.clock.advance(days: 1)
        #expect(try store.recordAccess(NodeID("old-m0")) == .active)
        #expect(try store.tier(of: fixture.old) == .active)
        #expect(try store.tier(of: NodeID("old-m1")) == .active)
        #expect(try store.active.reader().accessStats(of: NodeID("old-m0"))?.count == 3)
        expectSame(try fixture.answers(store).filter { !$0.contains("old-m0, namespace") }, before.filter { !$0.contains("old-m0, namespace") })
        try fixture.checkTiers(store)
        let compacted = try store.compactColdTiers()
        #expect(compacted.map(\.tier).contains(archive))
        #expect(throws: StrataError.self) { try store.recordAccess("absent") }
    }
}
