#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

@Suite("Edge writes and forget across tiers")
struct CrossingWriteTests {
    /// Every hint a caller can give: active, any, a wide time range, and each tier by name.
    static let hints: [TierHint] = [
        .active, .any, .timeRange(Date(timeIntervalSince1970: 0)..<Date(timeIntervalSince1970: 4e9)),
        .tier("active"), .tier("recent"), .tier("2026-Q1"), .tier("2026-Q3"),
    ]

    /// Every id any read with any hint returns (nodes, windows, edges' ends, vector hits).
    static func everythingRead(_ store: TieredMemoryStore, _ fixture: MoveFixture) throws -> Set<NodeID> {
        var seen: Set<NodeID> = []
        for hint in hints {
            for id in fixture.ids {
                if let node = try store.node(id, hint: hint) { seen.insert(node.id) }
                for edge in try store.edges(of: id, direction: .both, hint: hint) { seen.formUnion([edge.from, edge.to]) }
            }
            seen.formUnion(try store.nodes(in: "u", hint: hint).map(\.id))
            for root in [fixture.old, fixture.mid, fixture.young] {
                seen.formUnion(try store.messages(in: root, hint: hint)?.map(\.id) ?? [])
            }
            let near = try? store.nearest(to: [45, 0], k: 20, in: "e", namespace: "u", hint: hint)
            seen.formUnion(near?.hits.map(\.id) ?? [])
        }
        return seen
    }

    @Test("Forget in any tier removes the records and their crossing edges from every read with every hint")
    func forgetEverywhere() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        var store = try fixture.open()
        try store.migrate()
        #expect(try store.node(fixture.paris)?.entity?.mentionCount == 3)
        let old = [fixture.old, NodeID("old-m0"), NodeID("old-m1")]
        #expect(try Self.everythingRead(store, fixture).isSuperset(of: old))
        // An archived conversation (its messages mention paris, in active).
        #expect(try store.forget(fixture.old) == 3)
        var read = try Self.everythingRead(store, fixture)
        #expect(read.isDisjoint(with: old))
        #expect(try store.node(fixture.paris)?.entity?.mentionCount == 2)
        #expect(try store.tiers().first { $0.tier == .archive(year: 2026, quarter: 1) }?.count == 0)
        // An active entity mentioned from recent.
        #expect(try store.forget(fixture.paris) == 1)
        read = try Self.everythingRead(store, fixture)
        #expect(!read.contains(fixture.paris))
        #expect(try store.edges(of: NodeID("mid-m0"), direction: .both).allSatisfy { $0.type != .mentions })
        // A recent message alone.
        #expect(try store.forget(NodeID("mid-m1")) == 1)
        #expect(try !Self.everythingRead(store, fixture).contains(NodeID("mid-m1")))
        #expect(throws: StrataError.self) { try store.forget(fixture.old) }
        try store.close()
        store = try fixture.open()
        defer { try? store.close() }
        read = try Self.everythingRead(store, fixture)
        #expect(read.isDisjoint(with: old + [fixture.paris, NodeID("mid-m1")]))
        #expect(read.contains(NodeID("mid-m0")) && read.contains(NodeID("young-m0")))
        try store.migrate()
        #expect(try store.pendingMoves() == 0)
    }

    @Test("Edge writes route to the ends' tier or the crossing tree; bad ones change nothing")
    func crossingEdgeWrites() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        var store = try fixture.open()
        try store.migrate()
        let paris = fixture.paris
        let oldM0 = NodeID("old-m0"), midM0 = NodeID("mid-m0"), midM1 = NodeID("mid-m1")
        // The crossing edge is not in the active store: its own call cannot reach it.
        #expect(throws: StrataError.self) { try store.active.invalidateEdge(from: oldM0, type: .mentions, to: paris) }
        let validFrom = try #require(try store.edges(of: oldM0).first { $0.type == .mentions }?.validFrom)
        #expect(throws: StrataError.self) {
            try store.invalidateEdge(from: oldM0, type: .mentions, to: paris, at: validFrom.addingTimeInterval(-1))
        }
        #expect(try store.edges(of: paris, direction: .incoming).count == 3)
        try store.invalidateEdge(from: oldM0, type: .mentions, to: paris)
        #expect(try store.edges(of: paris, direction: .incoming).map(\.from) == [midM0, NodeID("young-m0")])
        #expect(try store.node(paris)?.entity?.mentionCount == 2)
        #expect(throws: StrataError.self) { try store.invalidateEdge(from: midM1, type: .mentions, to: paris) }
        #expect(try store.removeEdge(from: midM0, type: .mentions, to: paris))
        #expect(try !store.removeEdge(from: midM0, type: .mentions, to: paris))
        #expect(try store.edges(of: paris, direction: .incoming).map(\.from) == [NodeID("young-m0")])
        // New edges: across tiers (recent → active), inside one tier (the archive).
        try store.addEdge(Edge(from: midM1, type: .mentions, to: paris, weight: 0.25))
        try store.addEdge(Edge(from: oldM0, type: .repliesTo, to: NodeID("old-m1")))
        #expect(try store.edges(of: paris, direction: .incoming).map(\.from) == [midM1, NodeID("young-m0")])
        #expect(try store.edges(of: oldM0).contains { $0.type == .repliesTo && $0.to == NodeID("old-m1") })
        #expect(try store.withTier(.archive(year: 2026, quarter: 1)) { try $0.reader().edges(of: oldM0).count } == 1)
        // Bad edges: a missing end, another namespace, a bad weight.
        let other = try store.active.insert(Node(namespace: "v", .entity(Entity(type: .place, name: "Rome"))))
        let before = try store.edges(of: midM1, direction: .both)
        #expect(throws: StrataError.self) { try store.addEdge(Edge(from: midM1, type: .mentions, to: "absent")) }
        #expect(throws: StrataError.self) { try store.addEdge(Edge(from: midM1, type: .mentions, to: other.id)) }
        #expect(throws: StrataError.self) { try store.addEdge(Edge(from: midM1, type: .mentions, to: paris, weight: .nan)) }
        #expect(try store.edges(of: midM1, direction: .both) == before)
        // Persisted; and a move into one tier turns the crossing edge into an ordinary one.
        try store.close()
        store = try fixture.open()
        defer { try? store.close() }
        #expect(try store.edges(of: paris, direction: .incoming).first?.weight == 0.25)
        #expect(try store.move([fixture.mid], to: .active))
        #expect(try store.active.reader().edges(of: midM1).contains { $0.to == paris && $0.weight == 0.25 })
        #expect(try store.edges(of: paris, direction: .incoming).map(\.from) == [midM1, NodeID("young-m0")])
        try fixture.checkTiers(store)
    }
}
