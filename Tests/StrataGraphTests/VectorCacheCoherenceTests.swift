import Foundation
import StrataEngine
@testable import StrataGraph
import StrataRandom
import StrataTestSupport
import Testing

/// The search cache is coherent with commits: an aborted transaction leaves no trace in it or in
/// the rows, and a reader on an older snapshot never sees through it what came after.
@Suite struct VectorCacheCoherenceTests {
    struct Abort: Error {}

    @Test func anAbortedInsertLeavesRowsAndCacheUnchanged() throws {
        var fixture = try VectorFixture()
        try fixture.insert(0..<400)
        let query = fixture.vector()
        let before = try fixture.store.reader().nearest(to: query, k: 10, in: "text", namespace: "ns")
        let rows = try fixture.hnswRows()
        let cacheBytes = fixture.store.vectorCacheBytes
        let extra = (0..<50).map { _ in fixture.vector() }
        #expect(throws: Abort.self) {
            try fixture.store.write { graph in
                for (index, vector) in extra.enumerated() {
                    let id = NodeID("x\(index)")
                    try graph.insert(Node(id: id, namespace: "ns", createdAt: fixture.base, .message(Message(conversation: "chat", role: .user, text: "x"))))
                    try graph.setVector(vector, for: id, in: "text")
                }
                try graph.delete("v1")
                throw Abort()
            }
        }
        #expect(try fixture.hnswRows() == rows)
        #expect(fixture.store.vectorCacheBytes == cacheBytes)
        let after = try fixture.store.reader().nearest(to: query, k: 10, in: "text", namespace: "ns")
        #expect(after.hits == before.hits)
        #expect(try fixture.store.verify().isSound)
    }

    @Test func aReaderBeforeABulkInsertSeesNoneOfItThroughTheCache() throws {
        var fixture = try VectorFixture()
        try fixture.insert(0..<300)
        let queries = (0..<8).map { _ in fixture.vector() }
        let old = try fixture.store.reader()
        let expected = try queries.map { try old.nearest(to: $0, k: 10, in: "text", namespace: "ns", ef: 200).hits }
        // The bulk insert publishes its nodes (and the lists it changed) to the cache.
        try fixture.insert(300..<900, batch: 600)
        #expect(fixture.store.vectorCacheBytes > 0)
        let again = try queries.map { try old.nearest(to: $0, k: 10, in: "text", namespace: "ns", ef: 200).hits }
        #expect(again == expected)
        let inserted = Set((300..<900).map { NodeID("v\($0)") })
        for hits in again { #expect(inserted.isDisjoint(with: hits.map(\.id))) }
        // A new reader sees the insert; the old one still does not.
        let fresh = try fixture.store.reader()
        let newHits = try queries.flatMap { try fresh.nearest(to: $0, k: 10, in: "text", namespace: "ns").hits.map(\.id) }
        #expect(!inserted.isDisjoint(with: newHits))
        #expect(try queries.map { try old.nearest(to: $0, k: 10, in: "text", namespace: "ns", ef: 200).hits } == expected)
    }

    @Test func theCacheStaysUnderItsBudget() throws {
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(cacheBytes: 40_000))
        try fixture.insert(0..<500)
        let queries = (0..<5).map { _ in fixture.vector() }
        for query in queries { _ = try fixture.store.reader().nearest(to: query, k: 10, in: "text", namespace: "ns") }
        #expect(fixture.store.vectorCacheBytes <= 40_000)
        #expect(try fixture.recall(queries, ef: 64) >= 0.9)
    }
}
