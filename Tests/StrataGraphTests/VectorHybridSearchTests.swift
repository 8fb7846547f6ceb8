import Foundation
import StrataEngine
@testable import StrataGraph
import StrataRandom
import StrataTestSupport
import Testing

/// The hybrid call (nearest messages, then the entities they mention) against the same
/// composition done by hand: the exact nearest messages, their mentions, reciprocal-rank scores.
@Suite struct VectorHybridSearchTests {
    /// 400 messages; message n mentions entities e(n % 13) and e(n % 7 + 13).
    static func fixture() throws -> VectorFixture {
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(exactScanBound: 10_000))
        try fixture.insert(0..<400)
        let base = fixture.base
        try fixture.store.write { graph in
            for entity in 0..<20 {
                try graph.insert(Node(
                    id: NodeID("e\(entity)"), namespace: "ns", createdAt: base, .entity(Entity(type: .place, name: "E\(entity)"))))
            }
            for message in 0..<400 {
                for entity in Self.mentioned(by: message) {
                    try graph.addEdge(Edge(from: NodeID("v\(message)"), type: .mentions, to: NodeID("e\(entity)"), weight: 1, validFrom: base))
                }
            }
        }
        return fixture
    }

    static func mentioned(by message: Int) -> [Int] { [message % 13, message % 7 + 13] }

    /// The expected entities: scores summed by hand from the exact nearest messages.
    static func expected(_ hits: [VectorHit]) -> [(id: NodeID, score: Double, first: Int)] {
        var scores: [Int: (Double, Int)] = [:]
        for (rank, hit) in hits.enumerated() {
            guard case .name(let name) = hit.id, let message = Int(name.dropFirst()) else { continue }
            for entity in mentioned(by: message) {
                let old = scores[entity] ?? (0, rank)
                scores[entity] = (old.0 + 1 / Double(rank + 1), old.1)
            }
        }
        return scores.map { (NodeID("e\($0.key)"), $0.value.0, $0.value.1) }.sorted { a, b in
            a.score != b.score ? a.score > b.score : a.first != b.first ? a.first < b.first : a.id < b.id
        }
    }

    @Test func hybridEqualsTheBruteForceComposition() throws {
        var fixture = try Self.fixture()
        let reader = try fixture.store.reader()
        for _ in 0..<8 {
            let query = fixture.vector()
            let result = try reader.hybridSearch(to: query, messages: 6, in: "text", namespace: "ns", entityLimit: 5)
            let exact = try reader.exactNearest(to: query, k: 6, in: "text", namespace: "ns", filter: VectorFilter(kinds: [.message]))
            #expect(result.messages.hits == exact.hits)
            let expected = Self.expected(exact.hits).prefix(5)
            #expect(result.entities.map(\.entity.id) == expected.map(\.id))
            for (entity, want) in zip(result.entities, expected) { #expect(abs(entity.score - want.score) < 1e-12) }
        }
    }

    @Test func hybridReadsOneSnapshot() throws {
        var fixture = try Self.fixture()
        let query = fixture.vector()
        let reader = try fixture.store.reader()
        let before = try reader.hybridSearch(to: query, messages: 4, in: "text", namespace: "ns")
        // A later commit adds a mention to each nearest message: the old reader does not see it.
        let base = fixture.base
        try fixture.store.write { graph in
            try graph.insert(Node(id: "late", namespace: "ns", createdAt: base, .entity(Entity(type: .place, name: "Late"))))
            for hit in before.messages.hits { try graph.addEdge(Edge(from: hit.id, type: .mentions, to: "late", weight: 1, validFrom: base)) }
        }
        let again = try reader.hybridSearch(to: query, messages: 4, in: "text", namespace: "ns")
        #expect(again.entities.map(\.entity.id) == before.entities.map(\.entity.id))
        let fresh = try fixture.store.reader().hybridSearch(to: query, messages: 4, in: "text", namespace: "ns")
        #expect(fresh.entities.first?.entity.id == "late")
    }

    @Test func badLimitsAreTypedErrors() throws {
        var fixture = try Self.fixture()
        let reader = try fixture.store.reader()
        #expect(throws: StrataError.self) { try reader.hybridSearch(to: fixture.vector(), messages: 3, in: "text", namespace: "ns", entityLimit: 0) }
        #expect(throws: StrataError.self) { try reader.hybridSearch(to: fixture.vector(), messages: 0, in: "text", namespace: "ns") }
    }
}
