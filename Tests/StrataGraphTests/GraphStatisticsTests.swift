import Foundation
import StrataEngine
import StrataGraph
import Testing

@Suite struct GraphStatisticsTests {
    @Test func countsNodesByNamespaceAndKindEdgesByTypeAndVectors() throws {
        let sample = try SampleGraph()
        try sample.store.insert(Node(id: "other", namespace: "ns2", .entity(Entity(type: .person, name: "Ada"))))
        try sample.store.define(EmbeddingSpace(name: "text", model: "test", dimension: 2, metric: .cosine))
        try sample.store.setVector([1, 0], for: "m1", in: "text")
        try sample.store.setVector([0, 1], for: "other", in: "text")
        try sample.store.insert(Node(
            id: "w1", namespace: "ns", expiresAt: sample.base, .memory(Memory(kind: .working, text: "scratch"))))
        try sample.store.update(sample.paris) { $0.content = .entity(Entity(type: .place, name: "Paris, France")) }

        let statistics = try sample.store.statistics()
        #expect(statistics.nodes == [
            "ns": ["conversation": 1, "message": 3, "entity": 1, "memory": 1], "ns2": ["entity": 1],
        ])
        #expect(statistics.edges == ["MENTIONS": 2, "REPLIES_TO": 1])
        #expect(statistics.vectors == ["ns": ["text": 1], "ns2": ["text": 1]])
        #expect(statistics.spaces.map(\.name) == ["text"])
        #expect(statistics.expiring == 1)  // expired, not yet swept: still stored
        #expect(statistics.versions == 1)
        #expect(statistics.nodeCount == 7)
        #expect(statistics.edgeCount == 3)
        #expect(statistics.vectorCount == 2)

        try sample.store.forget(sample.chat)
        let after = try sample.store.statistics()
        #expect(after.nodes["ns"] == ["entity": 1, "memory": 1])
        #expect(after.edgeCount == 0)
        #expect(after.vectors == ["ns2": ["text": 1]])
    }
}
