import Foundation
import StrataGraph
import StrataTestSupport
import Testing

/// The README's StrataGraph example, verbatim but for the directory: it must compile and run.
@Suite struct ReadmeGraphExampleTests {
    @Test func theReadmeGraphExampleRuns() throws {
        let directory = try TemporaryDirectory()
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }

        let chat = try store.insert(Node(namespace: "user-42", .conversation(Conversation(title: "Trip"))))
        try store.write { graph in
            let paris = try graph.insert(Node(namespace: "user-42", .entity(Entity(type: .place, name: "Paris"))))
            let ask = try graph.insert(Node(namespace: "user-42",
                .message(Message(conversation: chat.id, role: .user, text: "Flights to Paris?"))))
            try graph.addEdge(Edge(from: ask.id, type: .mentions, to: paris.id))
        }
        let window = try store.reader().messages(in: chat.id, limit: 50, reverse: true)
        try store.forget(chat.id)   // the conversation, its messages, their edges, vectors and index entries

        #expect(window.count == 1)
        #expect(try store.reader().count(in: "user-42") == 1)  // Paris
        #expect(try store.verify().isSound)
    }
}
