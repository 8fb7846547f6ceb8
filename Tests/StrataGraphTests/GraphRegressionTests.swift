import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// Bugs the graph model test found, each pinned by a small test that fails without its fix.
@Suite struct GraphRegressionTests {
    /// `insert(contentsOf:)` wrote the nodes before a refused one, so a transaction that caught
    /// the error committed part of the batch (a call that throws must leave the transaction as
    /// it was).
    @Test func aRefusedBulkInsertStoresNoneOfItsNodes() throws {
        let sample = try SampleGraph()
        let batch = [
            Node(id: "fresh", namespace: "ns", .conversation(Conversation(title: "new"))),
            Node(id: "reply", namespace: "ns", .message(Message(conversation: "fresh", role: .user, text: "hi"))),
            Node(id: "m1", namespace: "ns", .conversation(Conversation(title: "duplicate id"))),
        ]
        try sample.store.write { graph in
            #expect(throws: StrataError.self) { try graph.insert(contentsOf: batch) }
            try graph.insert(Node(id: "other", namespace: "ns", .conversation(Conversation(title: "kept"))))
        }
        #expect(try sample.store.node("fresh") == nil)
        #expect(try sample.store.node("reply") == nil)
        #expect(try sample.store.node("other") != nil)
        // A batch whose nodes refer to earlier ones still goes in whole.
        try sample.store.insert(contentsOf: Array(batch.prefix(2)))
        #expect(try sample.store.reader().messages(in: "fresh").map(\.id) == ["reply"])
        #expect(try sample.store.verify().isSound)
    }
}
