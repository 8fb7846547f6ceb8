import Foundation
import StrataEngine
import StrataGraph
import Testing

/// Smaller promises checked one by one, and one pitfall an adopter with an injected clock meets.
@Suite struct GraphEdgeCaseTests {
    @Test func anEdgeWithTheDefaultValidFromUnderAnInjectedClock() throws {
        let harness = try GraphHarness()   // its clock is 2025-10-10, before the wall clock
        let alice = Tenant(namespace: "alice")
        try alice.build(in: harness.store)
        try harness.store.addEdge(Edge(from: alice.messages[1], type: .mentions, to: alice.paris))
        let reader = try harness.store.reader()
        let mentions = try reader.mentionIDs(of: alice.paris)
        let count = try reader.node(alice.paris)?.entity?.mentionCount
        // An edge added without validFrom holds from the transaction's time (the store's clock).
        #expect(mentions.count == 3)
        #expect(count == 3)
        let future = try harness.store.reader(at: Date().addingTimeInterval(60))
        #expect(try future.mentionIDs(of: alice.paris).count == 3)
    }

    @Test func smallerPromises() throws {
        let harness = try GraphHarness()
        let alice = Tenant(namespace: "alice")
        try alice.build(in: harness.store)
        let store = harness.store
        _ = try store.insert(Node(id: "emile", namespace: "alice", .entity(Entity(type: .person, name: "Émile", aliases: ["ÉMILE Z"]))))
        #expect(try store.reader().entities(named: "émile", in: "alice").map(\.id) == ["emile"], "case-insensitive beyond ASCII")
        #expect(try store.reader().entities(named: "émile z", in: "alice").map(\.id) == ["emile"])
        expectCode(.invalidField, "a zero vector in a cosine space") { try store.setVector([0, 0, 0], for: alice.paris, in: "text") }
        expectCode(.invalidField, "a zero query in a cosine space") { _ = try store.reader().nearest(to: [0, 0, 0], k: 2, in: "text", namespace: "alice") }
        expectCode(.invalidField) { _ = try store.insert(Node(namespace: "alice", .memory(Memory(kind: .semantic, text: "t", decayRate: -1)))) }
        expectCode(.invalidField) { _ = try store.insert(Node(namespace: "alice", .message(Message(conversation: alice.chat, role: .user, text: "x", tokenCount: -5)))) }
        try store.recordAccess(alice.memory, at: GraphHarness.base.addingTimeInterval(100))
        try store.recordAccess(alice.memory, at: GraphHarness.base.addingTimeInterval(50))
        #expect(try store.reader().accessStats(of: alice.memory) == AccessStats(count: 2, last: GraphHarness.base.addingTimeInterval(100)),
                "the last access only moves forward")
        #expect(try store.verify().isSound)
    }
}
