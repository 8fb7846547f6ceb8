import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// A small conversation graph used by several tests.
struct SampleGraph {
    let store: MemoryStore
    let directory: TemporaryDirectory
    let chat: NodeID = "c1"
    let messages: [NodeID] = ["m1", "m2", "m3"]
    let paris: NodeID = "e-paris"
    let base = Date(timeIntervalSince1970: 1_700_000_000)

    init(clock: Date? = nil) throws {
        directory = try TemporaryDirectory()
        let now = clock ?? Date(timeIntervalSince1970: 1_700_100_000)
        store = try MemoryStore.open(at: directory.path, configuration: .init(clock: { now }))
        try store.write { graph in
            try graph.insert(Node(id: chat, namespace: "ns", createdAt: base, .conversation(Conversation(title: "Trip"))))
            try graph.insert(Node(id: paris, namespace: "ns", createdAt: base, .entity(Entity(type: .place, name: "Paris", aliases: ["City of Light"]))))
            for (index, id) in messages.enumerated() {
                try graph.insert(Node(
                    id: id, namespace: "ns", createdAt: base.addingTimeInterval(Double(index + 1)),
                    .message(Message(conversation: chat, role: index % 2 == 0 ? .user : .assistant, text: "message \(index)"))))
            }
            try graph.addEdge(Edge(from: "m1", type: .mentions, to: paris, weight: 0.8, validFrom: base))
            try graph.addEdge(Edge(from: "m3", type: .mentions, to: paris, weight: 0.5, validFrom: base))
            try graph.addEdge(Edge(from: "m2", type: .repliesTo, to: "m1", validFrom: base))
        }
    }
}

@Suite struct MemoryStoreTests {
    @Test func nodesRoundTripWithTheirFields() throws {
        let sample = try SampleGraph()
        let message = try #require(try sample.store.node("m2"))
        #expect(message.kind == .message)
        #expect(message.namespace == "ns")
        #expect(message.version == 1)
        #expect(message.message?.role == .assistant)
        #expect(message.message?.content == .text("message 1"))
        #expect(message.createdAt == sample.base.addingTimeInterval(2))
        let entity = try #require(try sample.store.node(sample.paris)?.entity)
        #expect(entity.mentionCount == 2)
        #expect(entity.aliases == ["City of Light"])
        #expect(try sample.store.node("absent") == nil)
    }

    @Test func conversationWindowAndTimeRange() throws {
        let sample = try SampleGraph()
        let reader = try sample.store.reader()
        #expect(try reader.messages(in: sample.chat, limit: 2, reverse: true).map(\.id) == ["m3", "m2"])
        #expect(try reader.messages(in: sample.chat).map(\.id) == ["m1", "m2", "m3"])
        let range = sample.base.addingTimeInterval(1.5)..<sample.base.addingTimeInterval(3)
        #expect(try reader.nodes(in: "ns", kind: .message, createdIn: range).map(\.id) == ["m2"])
        #expect(try reader.count(in: "ns", kind: .message) == 3)
    }

    @Test func adjacencyBothWays() throws {
        let sample = try SampleGraph()
        let reader = try sample.store.reader()
        #expect(try reader.entities(mentionedBy: "m1").map(\.id) == [sample.paris])
        #expect(try reader.mentionIDs(of: sample.paris) == ["m3", "m1"])
        #expect(try reader.neighbours(of: "m1", direction: .incoming) == ["m2"])
        let reached = try reader.expand(from: "m2", hops: 2)
        #expect(reached.map(\.id) == ["m1", sample.paris])
        #expect(reached.map(\.depth) == [1, 2])
        #expect(try reader.entities(named: "city of light", in: "ns").map(\.id) == [sample.paris])
    }

    @Test func forgettingAConversationRemovesEverythingDerived() throws {
        let sample = try SampleGraph()
        try sample.store.define(EmbeddingSpace(name: "text", model: "test", dimension: 2, metric: .cosine))
        try sample.store.setVector([1, 0], for: "m1", in: "text")
        try sample.store.insert(Node(id: "mem1", namespace: "ns", .memory(Memory(kind: .semantic, text: "likes Paris", source: "m1"))))
        #expect(try sample.store.forget(sample.chat) == 5)
        let reader = try sample.store.reader()
        for id in [sample.chat, "m1", "m2", "m3", "mem1"] as [NodeID] { #expect(try reader.node(id) == nil) }
        #expect(try reader.mentionIDs(of: sample.paris).isEmpty)
        #expect(try reader.node(sample.paris)?.entity?.mentionCount == 0)
        #expect(try reader.nearest(to: [1, 0], k: 3, in: "text", namespace: "ns").hits.isEmpty)
        let report = try sample.store.verify()
        #expect(report.isSound, "\(report.problems)")
        #expect(report.nodes == 1)
    }

    @Test func updatesKeepVersionsAndMoveIndexEntries() throws {
        let sample = try SampleGraph()
        try sample.store.update(sample.paris) { node in
            node.content = .entity(Entity(type: .place, name: "Paris, France"))
        }
        let reader = try sample.store.reader()
        #expect(try reader.entities(named: "Paris", in: "ns").isEmpty)
        #expect(try reader.entities(named: "paris, france", in: "ns").map(\.id) == [sample.paris])
        let versions = try reader.versions(of: sample.paris)
        #expect(versions.map(\.version) == [1, 2])
        #expect(versions.first?.entity?.name == "Paris")
        #expect(try sample.store.verify().isSound)
    }

    @Test func expiredNodesAreHiddenBeforeTheSweepAndDeletedByIt() throws {
        let sample = try SampleGraph()
        let now = Date(timeIntervalSince1970: 1_700_100_000)
        try sample.store.insert(Node(id: "w1", namespace: "ns", createdAt: sample.base, expiresAt: now.addingTimeInterval(-1),
                                     .memory(Memory(kind: .working, text: "scratch", importance: 0.9))))
        try sample.store.insert(Node(id: "w2", namespace: "ns", createdAt: sample.base, expiresAt: now.addingTimeInterval(60),
                                     .memory(Memory(kind: .working, text: "still here", importance: 0.4))))
        #expect(try sample.store.node("w1") == nil)
        #expect(try sample.store.reader(includingExpired: true).node("w1") != nil)
        #expect(try sample.store.reader().memories(in: "ns").map(\.id) == ["w2"])
        #expect(try sample.store.expire() == 1)
        #expect(try sample.store.reader(includingExpired: true).node("w1") == nil)
        #expect(try sample.store.verify().isSound)
    }

    @Test func mentionCountsFollowEdgesThroughReplaceRemoveAndForget() throws {
        let sample = try SampleGraph()
        func mentions() throws -> Int? { try sample.store.node(sample.paris)?.entity?.mentionCount }
        #expect(try mentions() == 2)
        // Adding the same edge again replaces it: the count stays.
        try sample.store.addEdge(Edge(from: "m1", type: .mentions, to: sample.paris, weight: 0.9, validFrom: sample.base))
        #expect(try mentions() == 2)
        #expect(try sample.store.removeEdge(from: "m3", type: .mentions, to: sample.paris))
        #expect(try mentions() == 1)
        try sample.store.forget("m1")
        #expect(try mentions() == 0)
        #expect(try sample.store.verify().isSound)
    }

    @Test func rebuildRestoresIndexes() throws {
        let sample = try SampleGraph()
        let report = try sample.store.rebuildIndexes()
        #expect(report.isSound, "\(report.problems)")
        #expect(report.edges == 3)
        #expect(try sample.store.reader().mentionIDs(of: sample.paris) == ["m3", "m1"])
    }

    @Test func reopenKeepsTheGraph() throws {
        let sample = try SampleGraph()
        let path = sample.directory.path
        try sample.store.close()
        let reopened = try MemoryStore.open(at: path)
        #expect(try reopened.reader().messages(in: sample.chat).count == 3)
        #expect(try reopened.verify().isSound)
        try reopened.close()
    }
}
