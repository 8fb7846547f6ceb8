import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// Runs the code of the DocC guide "Building an agent's memory"
/// (Sources/StrataGraph/StrataGraph.docc/BuildingAnAgentsMemory.md), section by section and in
/// the same words, with expectations between the sections, so that the guide cannot rot: change
/// one, change the other.
@Suite struct GuideExampleTests {
    @Test func buildingAnAgentsMemory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path

        // MARK: Open a store
        let store = try MemoryStore.open(at: path)
        defer { try? store.close() }

        // MARK: Store a conversation and its messages
        let start = Date()
        let chat = try store.insert(Node(
            id: "chat-1", namespace: "user-42", createdAt: start,
            .conversation(Conversation(title: "Planning a trip"))))

        try store.write { graph in
            try graph.insert(Node(
                id: "m1", namespace: "user-42", createdAt: start,
                .message(Message(conversation: chat.id, role: .user, text: "Find me a flight to Paris in May"))))
            try graph.insert(Node(
                id: "m2", namespace: "user-42", createdAt: start.addingTimeInterval(2),
                .message(Message(
                    conversation: chat.id, role: .assistant,
                    content: .text("Three flights to Paris on 3 May; the cheapest leaves at 07:10."),
                    parent: "m1", tokenCount: 18))))
            try graph.addEdge(Edge(from: "m2", type: .repliesTo, to: "m1", validFrom: start))
        }
        #expect(try store.node("m2")?.version == 1)

        // MARK: Mention entities
        try store.write { graph in
            let paris = try graph.insert(Node(
                id: "paris", namespace: "user-42", createdAt: start,
                .entity(Entity(type: .place, name: "Paris", aliases: ["City of Light"]))))
            try graph.addEdge(Edge(from: "m1", type: .mentions, to: paris.id, weight: 0.95, validFrom: start))
            try graph.addEdge(Edge(from: "m2", type: .mentions, to: paris.id, weight: 0.90, validFrom: start))
        }

        let reader = try store.reader()
        let found = try reader.entities(named: "city of light", in: "user-42")  // [Paris]
        let mentioning = try reader.mentions(of: "paris")                       // [m2, m1], newest first
        let mentioned = try reader.entities(mentionedBy: "m1")                  // [Paris]
        #expect(found.map(\.id) == ["paris"])
        #expect(found.first?.entity?.mentionCount == 2)
        #expect(mentioning.map(\.id) == ["m2", "m1"])
        #expect(mentioned.map(\.id) == ["paris"])

        // MARK: Query a conversation window
        let window = try store.reader().messages(in: chat.id, limit: 20, reverse: true)
        for message in window {
            _ = "\(message.message!.role): \(message.message!.content.text)"
        }
        #expect(window.map(\.id) == ["m2", "m1"])

        // MARK: Expand from a message
        let reached = try store.reader().expand(from: "m2", hops: 2)
        // m1 and Paris at depth 1 (m2 replies to m1 and mentions Paris); nothing new at depth 2
        #expect(reached.map(\.id) == ["paris", "m1"])
        #expect(reached.map(\.depth) == [1, 1])
        let around = try store.reader().expand(from: "paris", hops: 2, types: [.mentions], direction: .incoming)
        #expect(Set(around.map(\.id)) == ["m1", "m2"])

        // MARK: Remember, and recall by importance
        try store.write { graph in
            try graph.insert(Node(
                id: "pref-1", namespace: "user-42",
                .memory(Memory(kind: .semantic, text: "Prefers early flights", importance: 0.9, source: "m2"))))
            try graph.insert(Node(
                id: "trip-1", namespace: "user-42",
                .memory(Memory(kind: .episodic, text: "Asked about Paris in May", importance: 0.6, source: "m1"))))
        }
        let important = try store.reader().memories(in: "user-42", minImportance: 0.5, limit: 10)
        // [pref-1 (0.9), trip-1 (0.6)]
        try store.recordAccess("pref-1")
        #expect(important.map(\.id) == ["pref-1", "trip-1"])
        #expect(try store.node("pref-1")?.memory?.accessCount == 1)

        // MARK: Let scratch state expire
        let hour: TimeInterval = 3600
        try store.insert(Node(
            id: "scratch-1", namespace: "user-42", expiresAt: Date().addingTimeInterval(hour),
            .memory(Memory(kind: .working, text: "Comparing three flights", importance: 0.3))))
        #expect(try store.node("scratch-1") != nil)

        let later = Date().addingTimeInterval(2 * hour)
        let hidden = try store.reader(at: later).node("scratch-1")                           // nil: expired
        let stillStored = try store.reader(at: later, includingExpired: true).node("scratch-1")  // the record
        let swept = try store.expire(now: later)                                                 // 1
        #expect(hidden == nil)
        #expect(stillStored != nil)
        #expect(swept == 1)
        #expect(try store.reader(includingExpired: true).node("scratch-1") == nil)

        // MARK: Search by vector
        try store.define(EmbeddingSpace(name: "text", model: "my-embedder-v1", dimension: 3, metric: .cosine))
        try store.setVector([0.9, 0.1, 0.0], for: "m1", in: "text")
        try store.setVector([0.1, 0.9, 0.0], for: "m2", in: "text")
        let nearest = try store.reader().nearest(to: [1, 0, 0], k: 1, in: "text", namespace: "user-42")
        // nearest.hits.first?.id == "m1"
        #expect(nearest.hits.map(\.id) == ["m1"])

        // MARK: Forget a conversation
        let forgotten = try store.forget(chat.id)  // 5: chat-1, m1, m2, pref-1, trip-1
        let after = try store.reader()
        #expect(forgotten == 5)
        #expect(try after.node("m1") == nil)
        #expect(try after.mentions(of: "paris").isEmpty)
        #expect(try after.memories(in: "user-42").isEmpty)
        #expect(try after.nearest(to: [1, 0, 0], k: 1, in: "text", namespace: "user-42").hits.isEmpty)
        #expect(throws: StrataError.self) { try after.messages(in: chat.id) }

        // MARK: Verify
        let report = try store.verify()
        precondition(report.isSound, "\(report.problems)")
        #expect(report.nodes == 1)  // Paris stays: entities do not hang off messages
        #expect(report.edges == 0)
    }
}
