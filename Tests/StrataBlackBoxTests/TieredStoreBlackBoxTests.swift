import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import StrataTiers
import Testing

/// A tiered store used as its docs show (ARCHITECTURE.md and FORMAT.md, "StrataTiers"; the
/// `///` comments of `TieredMemoryStore`): written through `active`, read back with every
/// `TierHint`, reopened, and given bad input. Only the public API; records written today stay
/// in `active` (no move is public yet), so the other tiers are asked and must answer nothing.
@Suite("Black box: tiered memory store")
struct TieredStoreBlackBoxTests {
    /// One day after the fixture's records: all of them younger than `activeAge`.
    static let configuration = TieredMemoryStore.Configuration(clock: { GraphHarness.now })
    static let alice = Tenant(namespace: "alice")
    /// A span holding every record of the fixture, and one long before it.
    static let covering = GraphHarness.base.addingTimeInterval(-3600)..<GraphHarness.now
    static let before = Date(timeIntervalSince1970: 1_500_000_000)..<Date(timeIntervalSince1970: 1_500_086_400)

    /// The hints under which every record of the fixture must be found.
    static let finding: [TierHint] = [.active, .any, .tier("active"), .timeRange(covering)]

    static func built(_ directory: TemporaryDirectory) throws -> TieredMemoryStore {
        let store = try TieredMemoryStore.open(at: directory.appending("tiers"), configuration: configuration)
        try alice.build(in: store.active)
        return store
    }

    /// Reads every kind of answer under `hint` and checks it against the fixture.
    static func expectFound(_ store: TieredMemoryStore, _ hint: TierHint, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tenant = alice
        let message = try store.node(tenant.messages[1], hint: hint)
        #expect(message?.id == tenant.messages[1], "node under \(hint)", sourceLocation: sourceLocation)
        #expect(message?.message?.conversation == tenant.chat, "node under \(hint)", sourceLocation: sourceLocation)
        let messages = try store.nodes(in: tenant.namespace, kind: .message, hint: hint).map(\.id)
        #expect(messages == tenant.messages, "nodes under \(hint)", sourceLocation: sourceLocation)
        let newest = try store.nodes(in: tenant.namespace, kind: .message, limit: 2, reverse: true, hint: hint).map(\.id)
        #expect(newest == [tenant.messages[2], tenant.messages[1]], "newest two under \(hint)", sourceLocation: sourceLocation)
        #expect(Set(try store.nodes(in: tenant.namespace, hint: hint).map(\.id)) == tenant.all, sourceLocation: sourceLocation)
        #expect(try store.messages(in: tenant.chat, hint: hint)?.map(\.id) == tenant.messages, "messages under \(hint)", sourceLocation: sourceLocation)
        let edges = try store.edges(of: tenant.messages[0], type: .mentions, hint: hint)
        #expect(edges.map(\.to) == [tenant.paris], "edges under \(hint)", sourceLocation: sourceLocation)
        let nearest = try store.nearest(to: tenant.direction, k: 3, in: "text", namespace: tenant.namespace, hint: hint)
        #expect(nearest.hits.map(\.id) == tenant.messages, "nearest under \(hint)", sourceLocation: sourceLocation)
        #expect(!nearest.filterExhausted, sourceLocation: sourceLocation)
    }

    @Test("Every hint that allows active finds what was written; a miss opens no tier")
    func everyHintReadsTheActiveTier() throws {
        let directory = try TemporaryDirectory(prefix: "strata-blackbox-tiers")
        let store = try Self.built(directory)
        for hint in Self.finding { try Self.expectFound(store, hint) }
        #expect(try store.node(NodeID("nobody"), hint: .any) == nil)
        #expect(try store.tier(of: Self.alice.messages[0]) == .active)
        let tiers = try store.tiers()
        #expect(tiers.first?.tier == .active && tiers.first?.count == Self.alice.all.count, "\(tiers)")
        let statistics = try store.statistics()
        #expect(statistics.tierOpens == 0 && statistics.openTiers.isEmpty, "\(statistics.openTiers)")
        try store.close()
    }

    @Test("Hints that exclude active return nothing of it")
    func hintsThatExcludeActiveFindNothing() throws {
        let directory = try TemporaryDirectory(prefix: "strata-blackbox-tiers")
        let store = try Self.built(directory)
        let tenant = Self.alice
        for hint: TierHint in [.tier("recent"), .tier("2025-Q4"), .tier("2019-Q1")] {
            #expect(try store.node(tenant.messages[0], hint: hint) == nil, "node under \(hint)")
            #expect(try store.nodes(in: tenant.namespace, hint: hint).isEmpty, "nodes under \(hint)")
            #expect(try store.messages(in: tenant.chat, hint: hint) == nil, "messages under \(hint)")
            let hits = emptyOrMissing { try store.nearest(to: tenant.direction, k: 3, in: "text", namespace: tenant.namespace, hint: hint).hits }
            #expect(hits.isEmpty, "nearest under \(hint)")
        }
        #expect(try store.node(tenant.messages[0], hint: .timeRange(Self.before)) == nil)
        try Self.expectFound(store, .any)
        try store.close()
    }

    @Test("A reopened tiered store reads the same under every hint")
    func restartKeepsEveryRead() throws {
        let directory = try TemporaryDirectory(prefix: "strata-blackbox-tiers")
        try Self.built(directory).close()
        let reopened = try TieredMemoryStore.open(at: directory.appending("tiers"), configuration: Self.configuration)
        for hint in Self.finding { try Self.expectFound(reopened, hint) }
        #expect(try reopened.statistics().tierOpens == 0)
        try reopened.close()
    }

    @Test("Bad tier names, configurations, queries and writes are typed errors and change nothing")
    func badInputIsTypedAndChangesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "strata-blackbox-tiers")
        let store = try Self.built(directory)
        let tenant = Self.alice
        for name in ["", "archive", "Active", "2026-Q0", "2026-Q5", "26-Q1", "2026-q3", "recent/"] {
            expectCode(.unknownTier, "Tier(named: \(name))") { _ = try Tier(named: name) }
            expectCode(.unknownTier, "node hint \(name)") { _ = try store.node(tenant.messages[0], hint: .tier(name)) }
            expectCode(.unknownTier, "nodes hint \(name)") { _ = try store.nodes(in: tenant.namespace, hint: .tier(name)) }
        }
        expectCode(.missingRecord, "an unknown space") {
            _ = try store.nearest(to: tenant.direction, k: 3, in: "images", namespace: tenant.namespace)
        }
        expectCode(.dimensionMismatch, "a query of the wrong dimension") {
            _ = try store.nearest(to: [1, 0], k: 3, in: "text", namespace: tenant.namespace)
        }
        expectCode(.nonFiniteVector, "a NaN query") {
            _ = try store.nearest(to: [.nan, 0, 0], k: 3, in: "text", namespace: tenant.namespace)
        }
        // The tiered layer checks k itself (invalidArgument, as its doc says; GraphReader's own is invalidField).
        expectCode(.invalidArgument, "k of 0") { _ = try store.nearest(to: tenant.direction, k: 0, in: "text", namespace: tenant.namespace) }
        expectCode(.invalidArgument, "a negative limit") { _ = try store.nodes(in: tenant.namespace, limit: -1) }
        let instant = GraphHarness.base
        expectCode(.invalidArgument, "an empty time range") { _ = try store.nodes(in: tenant.namespace, hint: .timeRange(instant..<instant)) }
        expectCode(.dimensionMismatch, "a stored vector of the wrong dimension") {
            try store.active.setVector([1, 2], for: tenant.messages[0], in: "text")
        }
        expectCode(.duplicateID, "an id written twice") {
            try store.active.write { graph in
                try graph.insert(Node(id: NodeID("alice-new"), namespace: tenant.namespace, .entity(Entity(type: .place, name: "Rome"))))
                try graph.insert(Node(id: tenant.paris, namespace: tenant.namespace, .entity(Entity(type: .place, name: "Paris"))))
            }
        }
        #expect(try store.node(NodeID("alice-new")) == nil, "the failed transaction left nothing")
        try Self.expectFound(store, .any)
        try store.close()

        let root = directory.appending("tiers")
        let bad: [(String, TieredMemoryStore.Configuration)] = [
            ("activeAge 0", .init(activeAge: 0, clock: { GraphHarness.now })),
            ("recentAge below activeAge", .init(activeAge: 90 * 86_400, recentAge: 30 * 86_400, clock: { GraphHarness.now })),
            ("recentAge infinite", .init(recentAge: .infinity, clock: { GraphHarness.now })),
            ("maxOpenTiers 0", .init(maxOpenTiers: 0, clock: { GraphHarness.now })),
            ("idleClose negative", .init(idleClose: -1, clock: { GraphHarness.now })),
        ]
        for (what, configuration) in bad {
            expectCode(.invalidArgument, "\(what)") { _ = try TieredMemoryStore.open(at: root, configuration: configuration) }
        }
        let reopened = try TieredMemoryStore.open(at: root, configuration: Self.configuration)
        for hint in Self.finding { try Self.expectFound(reopened, hint) }
        try reopened.close()
    }
}
