import Foundation
import StrataEngine
import StrataGraph
import Testing

/// The store's life as an adopter meets it: closed stores, read-only databases, transactions
/// that see their own writes, windows and limits.
@Suite struct GraphStoreManagementTests {
    let alice = Tenant(namespace: "alice")

    @Test func aClosedStoreThrowsClosed() throws {
        let harness = try GraphHarness()
        try alice.build(in: harness.store)
        try harness.store.close()
        expectCode(.closed) { _ = try harness.store.node(alice.chat) }
        expectCode(.closed) { _ = try harness.store.reader() }
        expectCode(.closed) { _ = try harness.store.insert(Node(namespace: "alice", .entity(Entity(type: .person, name: "A")))) }
    }

    @Test func aStoreOverAReadOnlyDatabaseReadsAndRefusesWrites() throws {
        let harness = try GraphHarness()
        try alice.build(in: harness.store)
        try harness.store.close()
        var configuration = Database.Configuration()
        configuration.readOnly = true
        let db = try Database.open(at: harness.path, configuration: configuration)
        let store = try MemoryStore(database: db, configuration: GraphHarness.configuration())
        #expect(try store.reader().messages(in: alice.chat).map(\.id) == alice.messages)
        #expect(try store.verify().isSound)
        expectCode(.readOnly) { _ = try store.insert(Node(namespace: "alice", .entity(Entity(type: .person, name: "A")))) }
        expectCode(.readOnly) { _ = try store.forget(alice.chat) }
        #expect(try store.node(alice.chat) != nil)
        try store.close()
        try db.close()
    }

    @Test func aTransactionReadsItsOwnWritesAndRollsBackWhole() throws {
        let harness = try GraphHarness()
        let store = harness.store
        try alice.build(in: store)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.write { graph in
                let node = try graph.insert(Node(id: "draft", namespace: "alice", .entity(Entity(type: .concept, name: "Draft"))))
                #expect(try graph.node("draft") == node)
                try graph.addEdge(Edge(from: alice.messages[0], type: .mentions, to: "draft"))
                #expect(try graph.edge(from: alice.messages[0], type: .mentions, to: "draft") != nil)
                #expect(try graph.delete(alice.chat) == 5)
                #expect(try graph.node(alice.messages[0]) == nil)
                throw Abort()
            }
        }
        #expect(try store.node("draft") == nil)
        #expect(try store.reader().messages(in: alice.chat).count == 3)
        #expect(try store.verify().isSound)
    }

    @Test func windowsLimitsAndExpansion() throws {
        let harness = try GraphHarness()
        let store = harness.store
        try alice.build(in: store)
        let reader = try store.reader()
        let m = alice.messages
        #expect(try reader.messages(in: alice.chat, limit: 2).map(\.id) == [m[0], m[1]])
        #expect(try reader.messages(in: alice.chat, limit: 2, reverse: true).map(\.id) == [m[2], m[1]])
        let window = GraphHarness.base.addingTimeInterval(120)..<GraphHarness.base.addingTimeInterval(180)
        #expect(try reader.messages(in: alice.chat, range: window).map(\.id) == [m[1]], "the range is half-open")
        expectCode(.wrongKind) { _ = try reader.messages(in: alice.paris) }
        expectCode(.missingRecord) { _ = try reader.messages(in: "nope") }
        #expect(try reader.nodes(in: "alice", kind: .message, limit: 1, reverse: true).map(\.id) == [m[2]])
        #expect(try reader.dependents(of: alice.chat).map(\.id).sorted() == m.sorted())
        #expect(try reader.dependents(of: m[0]).map(\.id).sorted() == [m[1], alice.memory].sorted())
        let all = try reader.expand(from: m[0], hops: 3, direction: .both)
        #expect(Set(all.map(\.id)) == [alice.paris, m[2]])
        #expect(all.first { $0.id == m[2] }?.depth == 2)
        #expect(all.first { $0.id == m[2] }?.via == alice.paris)
        #expect(try reader.expand(from: m[0], hops: 3, direction: .both, limit: 1).count == 1)
        #expect(try reader.expand(from: m[0], hops: 1, types: [.repliesTo], direction: .both).isEmpty)
        expectCode(.invalidField) { _ = try reader.expand(from: m[0], hops: 1, limit: -1) }
        #expect(try reader.memories(in: "alice", minImportance: 0.8).isEmpty)
        #expect(try reader.memories(in: "alice", kind: .semantic, minImportance: 0.7).map(\.id) == [alice.memory])
        #expect(try reader.coMentioned(with: alice.paris).isEmpty)
        expectCode(.missingRecord) { try store.recordAccess("nobody") }
    }
}
