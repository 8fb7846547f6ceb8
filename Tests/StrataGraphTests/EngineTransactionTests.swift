import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

@Suite("A layer's own trees in the graph's transaction")
struct EngineTransactionTests {
    let owner = TreeOwner("test.layer")

    @Test("A row written through engineTransaction commits with the node, or not at all")
    func rowCommitsWithNode() throws {
        let directory = try TemporaryDirectory()
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }
        let rows = try store.database.ownedTree("layer.rows", owner: owner)
        let chat = try store.insert(Node(id: "c", namespace: "ns", .conversation(Conversation(title: "t"))))
        try store.write { graph in
            try graph.insert(Node(id: "m1", namespace: "ns", .message(Message(conversation: chat.id, role: .user, text: "a"))))
            try graph.engineTransaction.insert([1], forKey: Array("m1".utf8), in: rows)
        }
        #expect(try rows.get(Array("m1".utf8)) == [1])
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try store.write { graph in
                try graph.insert(Node(id: "m2", namespace: "ns", .message(Message(conversation: chat.id, role: .user, text: "b"))))
                try graph.engineTransaction.insert([2], forKey: Array("m2".utf8), in: rows)
                throw Abort()
            }
        }
        #expect(try rows.get(Array("m2".utf8)) == nil)
        #expect(try store.node("m2") == nil)
    }

    @Test("The graph's own trees stay closed to other handles through engineTransaction")
    func graphTreesStayOwned() throws {
        let directory = try TemporaryDirectory()
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }
        let nodes = try store.database.tree("graph.nodes")
        let error = #expect(throws: StrataError.self) {
            try store.write { graph in try graph.engineTransaction.insert([0], forKey: [0], in: nodes) }
        }
        #expect(error?.code == .ownedTree)
    }
}
