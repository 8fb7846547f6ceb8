import Foundation
import StrataEngine
import StrataGraph
import Testing

/// Two tenants in one store: no query of one returns the other's nodes, and no write links them.
@Suite struct GraphIsolationTests {
    let alice = Tenant(namespace: "alice")
    let bob = Tenant(namespace: "bob")

    func checkIsolation(_ store: MemoryStore) throws {
        let reader = try store.reader()
        for (me, other) in [(alice, bob), (bob, alice)] {
            let ns = me.namespace
            expectCode(.namespaceMismatch, "node of another namespace") { _ = try reader.node(other.chat, in: ns) }
            #expect(try reader.node(me.chat, in: ns)?.id == me.chat)
            for kind: NodeKind? in [nil, .conversation, .message, .entity, .memory, .summary] {
                let ids = Set(try reader.nodes(in: ns, kind: kind).map(\.id))
                #expect(ids.isSubset(of: me.all), "\(ns) \(String(describing: kind))")
                #expect(Set(try reader.nodeIDs(in: ns, kind: kind, reverse: true)) == ids)
                #expect(try reader.count(in: ns, kind: kind) == ids.count)
            }
            #expect(Set(try reader.nodes(in: ns).map(\.id)) == me.all)
            #expect(Set(try reader.nodes(in: ns, olderThan: GraphHarness.now).map(\.id)) == me.all)
            #expect(try reader.entities(named: "PARIS", in: ns).map(\.id) == [me.paris])
            #expect(try reader.memories(in: ns).map(\.id) == [me.memory])
            expectCode(.namespaceMismatch, "another namespace's conversation") {
                _ = try reader.messages(in: other.chat, namespace: ns)
            }
            #expect(try reader.messages(in: me.chat, namespace: ns).map(\.id) == me.messages)
            #expect(Set(try reader.mentionIDs(of: me.paris)) == [me.messages[0], me.messages[2]])
            #expect(try reader.node(me.paris)?.entity?.mentionCount == 2)
            let reached = try reader.expand(from: me.paris, hops: 4, direction: .both).map(\.id)
            #expect(Set(reached).isSubset(of: me.all) && !reached.isEmpty)
            // The other tenant's vectors are the nearest to this query, and still never returned.
            let search = try reader.nearest(to: other.direction, k: 10, in: "text", namespace: ns)
            #expect(Set(search.hits.map(\.id)) == Set(me.messages))
            #expect(search.filterExhausted)
            let filtered = emptyOrMissing {
                try reader.nearest(to: other.direction, k: 10, in: "text", namespace: ns, filter: VectorFilter(conversation: other.chat)).hits
            }
            #expect(filtered.isEmpty, "a filter naming another namespace's conversation finds nothing")
        }
    }

    @Test func queriesNeverCrossNamespaces() throws {
        let harness = try GraphHarness()
        try alice.build(in: harness.store)
        try bob.build(in: harness.store)
        try checkIsolation(harness.store)
        #expect(try harness.store.verify().isSound)
    }

    @Test func writesThatWouldLinkNamespacesAreRefusedAndChangeNothing() throws {
        let harness = try GraphHarness()
        let store = harness.store
        try alice.build(in: store)
        try bob.build(in: store)
        let before = try store.verify()
        let base = GraphHarness.base
        expectCode(.namespaceMismatch, "edge across namespaces") {
            try store.addEdge(Edge(from: alice.messages[0], type: .mentions, to: bob.paris, validFrom: base))
        }
        expectCode(.namespaceMismatch, "a message in another namespace's conversation") {
            _ = try store.insert(Node(id: "x1", namespace: "alice", .message(Message(conversation: bob.chat, role: .user, text: "hi"))))
        }
        expectCode(.namespaceMismatch, "a reply to another namespace's message") {
            _ = try store.insert(Node(id: "x2", namespace: "alice", .message(Message(
                conversation: alice.chat, role: .user, content: .text("hi"), parent: bob.messages[0]))))
        }
        expectCode(.namespaceMismatch, "a memory sourced from another namespace") {
            _ = try store.insert(Node(id: "x3", namespace: "alice", .memory(Memory(kind: .episodic, text: "t", source: bob.messages[0]))))
        }
        expectCode(.namespaceMismatch, "a summary of another namespace's node") {
            _ = try store.insert(Node(id: "x4", namespace: "alice", .summary(Summary(subject: bob.chat, text: "s"))))
        }
        expectCode(.namespaceMismatch, "a custom node owned across namespaces") {
            _ = try store.insert(Node(id: "x5", namespace: "alice", .custom(CustomNode(kind: "note", owner: bob.chat))))
        }
        expectCode(.namespaceMismatch, "moving a node to another namespace") {
            _ = try store.update(alice.paris) { $0.namespace = "bob" }
        }
        expectCode(.duplicateID, "ids are unique across namespaces") {
            _ = try store.insert(Node(id: alice.paris, namespace: "bob", .entity(Entity(type: .place, name: "Paris"))))
        }
        // One bad call inside a transaction leaves the rest of it to commit.
        try store.write { graph in
            #expect(errorCode { try graph.addEdge(Edge(from: bob.messages[1], type: .relatesTo, to: alice.paris)) } == .namespaceMismatch)
            try graph.addEdge(Edge(from: bob.messages[1], type: .relatesTo, to: bob.paris, validFrom: base))
        }
        let after = try store.verify()
        #expect(after.isSound, "\(after.problems)")
        #expect(after.nodes == before.nodes)
        #expect(after.edges == before.edges + 1)
        for id: NodeID in ["x1", "x2", "x3", "x4", "x5"] { #expect(try store.node(id) == nil) }
        #expect(try store.node(alice.paris)?.namespace == "alice")
        try checkIsolation(store)
    }

    @Test func forgettingOneTenantLeavesTheOther() throws {
        let harness = try GraphHarness()
        try alice.build(in: harness.store)
        try bob.build(in: harness.store)
        let bobBefore = try harness.store.reader().nodes(in: "bob")
        #expect(try harness.store.forget(alice.chat) == 5)
        let reader = try harness.store.reader()
        #expect(try reader.nodes(in: "bob") == bobBefore)
        #expect(try reader.count(in: "alice") == 1)
        #expect(try reader.mentionIDs(of: bob.paris).count == 2)
        #expect(try harness.store.verify().isSound)
    }

    @Test func theGraphTreesAreOwnedByTheGraphLayer() throws {
        let harness = try GraphHarness()
        try alice.build(in: harness.store)
        let db = harness.store.database
        let names = try db.treeNames()
        #expect(!names.isEmpty)
        for name in names {
            let tree = try #require(try db.existingTree(name))
            #expect(!tree.isWritable, "\(name) is writable by an ordinary caller")
            expectCode(.ownedTree, "\(name)") { _ = try tree.insert(bytes("x"), forKey: bytes("x")) }
            expectCode(.ownedTree, "\(name)") { _ = try db.dropTree(name) }
        }
        #expect(try harness.store.verify().isSound)
    }
}
