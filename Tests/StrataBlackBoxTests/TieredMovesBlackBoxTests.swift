import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import StrataTiers
import Synchronization
import Testing

/// A clock the test moves, as `TieredMemoryStore.Configuration.clock` invites ("injectable for tests").
final class MovableClock: Sendable {
    private let time: Mutex<Date>
    init(_ start: Date) { time = Mutex(start) }
    var now: Date { time.withLock { $0 } }
    func advance(days: Double) { time.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
}

/// Moves and promotion driven as a user would, from the public API and its docs only
/// (`TieredMemoryStore`: `migrate`, `move`, `plannedMoves`, `recordAccess`, the `TierHint`s):
/// records aged with an injected clock go down the tiers, read the same under every hint that
/// allows their tier before and after, survive a reopen between moves, come back up on access,
/// and bad input is a typed error that changes nothing.
@Suite("Black box: tier moves and promotion")
struct TieredMovesBlackBoxTests {
    /// 2026-05-15T00:00:00Z: records made today age into recent in June and into the archive of 2026-Q2.
    static let start = Date(timeIntervalSince1970: 1_778_803_200)
    static let ns = "bob"
    static let chat = NodeID("bob-chat"), other = NodeID("bob-other"), paris = NodeID("bob-paris")
    static let messages = [NodeID("bob-m0"), NodeID("bob-m1")]
    static let all: Set<NodeID> = Set([chat, other, paris, NodeID("bob-other-m0")] + messages)

    struct Fixture {
        let directory: TemporaryDirectory
        let clock = MovableClock(TieredMovesBlackBoxTests.start)
        var root: String { directory.appending("tiers") }

        init() throws { directory = try TemporaryDirectory(prefix: "strata-blackbox-moves") }

        func configuration(promoteAfter: Int? = nil) -> TieredMemoryStore.Configuration {
            let clock = clock
            var configuration = TieredMemoryStore.Configuration(clock: { clock.now })
            configuration.moveBatchSize = 2
            configuration.promoteAfterAccesses = promoteAfter
            return configuration
        }

        func open(promoteAfter: Int? = nil) throws -> TieredMemoryStore {
            try TieredMemoryStore.open(at: root, configuration: configuration(promoteAfter: promoteAfter))
        }

        /// A conversation of two messages (the first mentions Paris), Paris, and a second conversation, all made a day ago.
        func build(_ store: TieredMemoryStore) throws {
            let made = clock.now.addingTimeInterval(-86_400)
            try store.active.write(durability: .synced) { graph in
                try graph.define(EmbeddingSpace(name: "text", model: "test", dimension: 3, metric: .l2))
                try graph.insert(Node(id: chat, namespace: ns, createdAt: made, .conversation(Conversation(title: "Trip"))))
                try graph.insert(Node(id: paris, namespace: ns, createdAt: made, .entity(Entity(type: .place, name: "Paris"))))
                for (index, id) in messages.enumerated() {
                    try graph.insert(Node(id: id, namespace: ns, createdAt: made.addingTimeInterval(Double(index + 1)),
                                          .message(Message(conversation: chat, role: .user, text: "day \(index) in Paris"))))
                    try graph.setVector([Float(index), 0, 1], for: id, in: "text")
                }
                try graph.addEdge(Edge(from: messages[0], type: .mentions, to: paris))
                try graph.insert(Node(id: other, namespace: ns, createdAt: made.addingTimeInterval(10), .conversation(Conversation(title: "Other"))))
                try graph.insert(Node(id: NodeID("bob-other-m0"), namespace: ns, createdAt: made.addingTimeInterval(11),
                                      .message(Message(conversation: other, role: .user, text: "hello"))))
            }
        }
    }

    /// Everything a caller reads with `.any`, whatever tier holds what (times and contents, not tiers).
    static func answers(_ store: TieredMemoryStore) throws -> [String] {
        var lines = ["nodes \(try store.nodes(in: ns).map { "\($0.id)@\($0.createdAt.timeIntervalSince1970)" })"]
        for id in all.sorted() {
            let node = try store.node(id)
            lines.append("\(id): \(node.map { "\($0.kind) \($0.content)" } ?? "missing")")
            for direction in EdgeDirection.allCases {
                lines.append("\(id) \(direction): \(try store.edges(of: id, direction: direction).map { "\($0.from)-\($0.type)->\($0.to)" })")
            }
        }
        lines.append("messages \(String(describing: try store.messages(in: chat)?.map(\.id)))")
        lines.append("nearest \(try store.nearest(to: [0, 0, 1], k: 5, in: "text", namespace: ns).hits.map(\.id))")
        return lines
    }

    /// Every record is found exactly once under `.any`, under its own tier's name, under a time
    /// range holding its creation; under `.active` exactly when its tier is active; under another tier's name never.
    static func expectEveryHint(_ store: TieredMemoryStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let everything = try store.nodes(in: ns).map(\.id)
        #expect(everything.count == all.count && Set(everything) == all, "nodes(.any) \(everything)", sourceLocation: sourceLocation)
        var union: [NodeID] = []
        for summary in try store.tiers() {
            union += try store.nodes(in: ns, hint: .tier(summary.tier.name)).map(\.id)
        }
        #expect(union.sorted() == everything.sorted(), "the tiers' answers are disjoint and whole", sourceLocation: sourceLocation)
        for id in all {
            let tier = try store.tier(of: id)
            let node = try #require(try store.node(id, hint: .any), sourceLocation: sourceLocation)
            #expect(try store.node(id, hint: .tier(tier.name))?.id == id, "\(id) in \(tier)", sourceLocation: sourceLocation)
            #expect((try store.node(id, hint: .active) != nil) == (tier == .active), "\(id) under .active", sourceLocation: sourceLocation)
            let elsewhere: Tier = tier == .recent ? .active : .recent
            #expect(try store.node(id, hint: .tier(elsewhere.name)) == nil, "\(id) under \(elsewhere)", sourceLocation: sourceLocation)
            let around = node.createdAt.addingTimeInterval(-1)..<node.createdAt.addingTimeInterval(1)
            #expect(try store.node(id, hint: .timeRange(around))?.id == id, "\(id) under its time", sourceLocation: sourceLocation)
            let before = node.createdAt.addingTimeInterval(-9_000)..<node.createdAt.addingTimeInterval(-8_000)
            #expect(try store.node(id, hint: .timeRange(before)) == nil, "\(id) before its time", sourceLocation: sourceLocation)
        }
        let activeIDs = try store.nodes(in: ns, hint: .active).map(\.id)
        #expect(Set(activeIDs) == Set(try all.filter { try store.tier(of: $0) == .active }), sourceLocation: sourceLocation)
    }

    @Test("Aging moves records to recent, then to their quarter's archive; every read stays the same, across a reopen")
    func agingMovesDownTheTiers() throws {
        let fixture = try Fixture()
        var store = try fixture.open()
        try fixture.build(store)
        let before = try Self.answers(store)
        try Self.expectEveryHint(store)
        #expect(try store.plannedMoves().isEmpty, "nothing is due a day after it was written")
        #expect(try store.migrate().records == 0)

        fixture.clock.advance(days: 40)
        let planned = try store.plannedMoves()
        #expect(!planned.isEmpty && planned.allSatisfy { $0.source == .active && $0.target == .recent }, "\(planned)")
        // One batch at a time: the first leaves work, and a reopen in the middle loses nothing.
        let first = try store.migrate(maxBatches: 1)
        #expect(first.batches == 1 && first.remaining)
        try store.close()
        store = try fixture.open()
        #expect(try Self.answers(store) == before)
        let rest = try store.migrate()
        #expect(!rest.remaining && rest.records + first.records == Self.all.count)
        for id in Self.all { #expect(try store.tier(of: id) == .recent, "\(id)") }
        #expect(try Self.answers(store) == before)
        try Self.expectEveryHint(store)
        #expect(try store.nearest(to: [0, 0, 1], k: 5, in: "text", namespace: Self.ns, hint: .active).hits.isEmpty)

        fixture.clock.advance(days: 160)
        #expect(try store.migrate().records == Self.all.count)
        let quarter = Tier.archive(holding: Self.start)
        #expect(quarter == .archive(year: 2026, quarter: 2))
        for id in Self.all { #expect(try store.tier(of: id) == quarter, "\(id)") }
        #expect(try store.nodes(in: Self.ns, hint: .tier("2026-Q2")).count == Self.all.count)
        #expect(try store.nodes(in: Self.ns, hint: .tier("recent")).isEmpty)
        #expect(try store.nodes(in: Self.ns, hint: .active).isEmpty)
        #expect(try Self.answers(store) == before)
        try Self.expectEveryHint(store)
        #expect(try store.pendingMoves() == 0 && store.statistics().pendingMoves == 0)
        try store.close()
        let reopened = try fixture.open()
        #expect(try Self.answers(reopened) == before)
        try Self.expectEveryHint(reopened)
        #expect(try reopened.plannedMoves().isEmpty)
        try reopened.close()
    }

    @Test("Accesses bring an archived record back to active with its conversation")
    func promotionOnAccess() throws {
        let fixture = try Fixture()
        var store = try fixture.open(promoteAfter: 2)
        try fixture.build(store)
        let before = try Self.answers(store)
        fixture.clock.advance(days: 200)
        try store.migrate()
        #expect(try store.tier(of: Self.chat) == .archive(year: 2026, quarter: 2))
        #expect(try store.recordAccess(Self.messages[1]) == .archive(year: 2026, quarter: 2), "one access is not enough")
        try store.close()
        store = try fixture.open(promoteAfter: 2)
        fixture.clock.advance(days: 1)
        #expect(try store.recordAccess(Self.messages[1]) == .active, "the second, a day later, promotes")
        for id in [Self.chat] + Self.messages { #expect(try store.tier(of: id) == .active, "\(id) came up with its unit") }
        #expect(try store.tier(of: Self.other) != .active, "the other conversation stays down")
        #expect(try Self.answers(store) == before)
        try Self.expectEveryHint(store)
        // A record in active is only counted; it stays where it is.
        #expect(try store.recordAccess(Self.messages[0]) == .active)
        try store.close()
    }

    @Test("Explicit moves to any tier and back keep edges across tiers resolvable")
    func explicitMovesAcrossTiers() throws {
        let fixture = try Fixture()
        let store = try fixture.open()
        try fixture.build(store)
        let before = try Self.answers(store)
        let old = Tier.archive(year: 2019, quarter: 1)
        #expect(try store.move([Self.chat], to: old))
        for id in [Self.chat] + Self.messages { #expect(try store.tier(of: id) == old) }
        #expect(try store.tier(of: Self.paris) == .active, "an entity is its own unit")
        // The mention now crosses from 2019-Q1 to active, seen from both ends, counted once.
        #expect(try store.edges(of: Self.paris, direction: .incoming).map(\.from) == [Self.messages[0]])
        #expect(try store.node(Self.paris)?.entity?.mentionCount == 1)
        #expect(try Self.answers(store) == before)
        try Self.expectEveryHint(store)
        #expect(try store.move([Self.paris], to: .recent))
        #expect(try Self.answers(store) == before)
        #expect(try store.move([Self.chat], to: .active))
        #expect(try Self.answers(store) == before)
        try Self.expectEveryHint(store)
        try store.close()
    }

    @Test("Bad moves, accesses and imports are typed errors and leave every record where it was")
    func badInputIsTypedAndChangesNothing() throws {
        let fixture = try Fixture()
        let store = try fixture.open()
        try fixture.build(store)
        fixture.clock.advance(days: 40)
        try store.migrate(maxBatches: 1)
        let before = try Self.answers(store)
        let tiers = try Self.all.sorted().map { try store.tier(of: $0) }
        let moved = try #require(try Self.all.first { try store.tier(of: $0) == .recent })
        let stayed = try #require(try Self.all.first { try store.tier(of: $0) == .active })

        for name in ["archive", "2026-Q5", "Recent", "", "2026-Q2/"] {
            expectCode(.unknownTier, "a move to \(name)") { _ = try store.move([Self.chat], to: Tier(named: name)) }
            expectCode(.unknownTier, "a read of \(name)") { _ = try store.node(moved, hint: .tier(name)) }
        }
        expectCode(.missingRecord, "a move of an unknown record") { _ = try store.move([NodeID("nobody")], to: .recent) }
        expectCode(.invalidArgument, "roots in two tiers") { _ = try store.move([moved, stayed], to: .recent) }
        expectCode(.missingRecord, "an access to an unknown record") { try store.recordAccess(NodeID("nobody")) }
        expectCode(.invalidArgument, "a negative batch bound") { _ = try store.migrate(maxBatches: -1) }
        expectCode(.invalidArgument, "compaction in 0 rounds") { _ = try store.compactColdTiers(rounds: 0) }
        expectCode(.duplicateID, "an import of a record the store holds") {
            try store.active.write { graph in
                let export = try #require(try graph.export(stayed))
                try graph.importRecord(export)
            }
        }
        // A move to the tier a record is already in moves nothing (the docs promise no error for it).
        let opens = try store.statistics().tierOpens
        #expect(try store.move([stayed], to: .active))
        #expect(try store.statistics().tierOpens == opens)
        #expect(try store.move([moved], to: .recent))
        #expect(try store.pendingMoves() == 0)
        var bad = fixture.configuration()
        bad.moveBatchSize = 0
        expectCode(.invalidArgument, "moveBatchSize 0") { _ = try TieredMemoryStore.open(at: fixture.root + "-2", configuration: bad) }
        bad = fixture.configuration(promoteAfter: 0)
        expectCode(.invalidArgument, "promoteAfterAccesses 0") { _ = try TieredMemoryStore.open(at: fixture.root + "-3", configuration: bad) }

        #expect(try Self.answers(store) == before)
        #expect(try Self.all.sorted().map { try store.tier(of: $0) } == tiers)
        try store.close()
        let reopened = try fixture.open()
        #expect(try Self.answers(reopened) == before)
        #expect(try Self.all.sorted().map { try reopened.tier(of: $0) } == tiers)
        try Self.expectEveryHint(reopened)
        try reopened.close()
    }
}
