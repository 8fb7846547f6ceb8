import Foundation
import StrataEngine
@testable import StrataGraph
import StrataRandom
import StrataTestSupport
import Testing

/// The HNSW index: recall against brute force, deletes and reinserts, verify, reopen.
@Suite struct VectorIndexTests {
    @Test(arguments: [DistanceMetric.l2, .cosine])
    func recallAtTenIsAtLeast95PercentAtEf64(metric: DistanceMetric) throws {
        var fixture = try VectorFixture(metric: metric)
        try fixture.insert(0..<2000)
        let queries = (0..<30).map { _ in fixture.vector() }
        let recall = try fixture.recall(queries, ef: 64)
        #expect(recall >= 0.95, "recall@10 \(recall)")
        let report = try fixture.store.verify()
        #expect(report.isSound, "\(report.problems)")
        #expect(report.vectorIndexNodes == 2000)
        let statistics = try fixture.store.vectorIndexStatistics()
        #expect(try fixture.store.statistics().vectorIndexes == statistics)
        #expect(statistics.count == 1)
        #expect(statistics.first?.live == 2000)
        #expect((statistics.first?.levels ?? 0) >= 2)
        // The walk compares far fewer vectors than the exact scan.
        let result = try fixture.store.reader().nearest(to: queries[0], k: 10, in: "text", namespace: "ns", ef: 64)
        #expect(result.hits.count == 10)
        #expect(result.scanned < 2000 / 2)
        #expect(!result.filterExhausted && !result.budgetExhausted)
    }

    @Test func searchesAgreeAfterReopenWithAnEmptyCache() throws {
        var fixture = try VectorFixture()
        try fixture.insert(0..<600)
        let queries = (0..<10).map { _ in fixture.vector() }
        let before = try queries.map { try fixture.store.reader().nearest(to: $0, k: 10, in: "text", namespace: "ns").hits }
        try fixture.store.close()
        let reopened = try MemoryStore.open(at: fixture.directory.path, configuration: VectorFixture.configuration())
        #expect(reopened.vectorCacheBytes == 0, "opening loads nothing")
        let after = try queries.map { try reopened.reader().nearest(to: $0, k: 10, in: "text", namespace: "ns").hits }
        #expect(after == before)
        #expect(reopened.vectorCacheBytes > 0)
        try reopened.close()
    }

    @Test func deletesAndReinsertsMatchBruteForce() throws {
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(threshold: 1))
        try fixture.insert(0..<1000)
        // Delete 30 % (node deletes and vector removals), update 10 %, insert 600 new.
        try fixture.store.write { graph in
            for index in stride(from: 0, to: 1000, by: 5) { try graph.delete(NodeID("v\(index)")) }
            for index in stride(from: 1, to: 1000, by: 10) { try graph.removeVector(for: NodeID("v\(index)"), in: "text") }
        }
        try fixture.store.write { graph in
            for index in stride(from: 2, to: 1000, by: 10) { try graph.setVector(fixture.vector(), for: NodeID("v\(index)"), in: "text") }
        }
        try fixture.insert(1000..<1300)
        let statistics = try #require(try fixture.store.vectorIndexStatistics().first)
        #expect(statistics.live == 1300 - 200 - 100)
        #expect(statistics.tombstones == 200 + 100 + 100)
        let queries = (0..<20).map { _ in fixture.vector() }
        #expect(try fixture.recall(queries, ef: 64) >= 0.95)
        let deleted = Set(stride(from: 0, to: 1000, by: 5).map { NodeID("v\($0)") } + stride(from: 1, to: 1000, by: 10).map { NodeID("v\($0)") })
        for query in queries {
            let hits = try fixture.store.reader().nearest(to: query, k: 50, in: "text", namespace: "ns").hits
            #expect(deleted.isDisjoint(with: hits.map(\.id)))
        }
        #expect(try fixture.store.verify().isSound)
        // Repair frees every tombstone; search and verify still hold.
        try fixture.store.repairVectorIndex()
        let repaired = try #require(try fixture.store.vectorIndexStatistics().first)
        #expect(repaired.tombstones == 0)
        #expect(repaired.freeSlots == 400)
        #expect(repaired.live == 1000)
        let report = try fixture.store.verify()
        #expect(report.isSound, "\(report.problems)")
        #expect(try fixture.recall(queries, ef: 64) >= 0.95)
        // New vectors reuse the freed slots.
        try fixture.insert(2000..<2250)
        let reused = try #require(try fixture.store.vectorIndexStatistics().first)
        #expect(reused.freeSlots == 150)
        #expect(try fixture.store.verify().isSound)
    }

    @Test func aMetadataUpdateOrTheSameBytesLeaveTheIndexAlone() throws {
        var fixture = try VectorFixture()
        let vectors = try fixture.insert(0..<100)
        let rows = try fixture.hnswRows()
        try fixture.store.update("v3") { node in node.content = .message(Message(conversation: "chat", role: .user, text: "changed")) }
        try fixture.store.setVector(vectors["v4"]!, for: "v4", in: "text")
        #expect(try fixture.hnswRows() == rows)
    }

    /// The example of FORMAT.md, "HNSW rows".
    @Test func rowBytesMatchFormatMD() throws {
        let graph = VectorGraphKey(namespace: "ns", space: "text")
        #expect(graph.neighboursKey(slot: 5, level: 0) == [0x02, 0x6e, 0x73, 0x00, 0x02, 0x74, 0x65, 0x78, 0x74, 0x00, 0x03, 0, 0, 0, 5, 0])
        #expect(HNSWNeighbourCodec.encode([1, 2]) == [1, 0, 0, 0, 2, 0, 0, 0])
        #expect(VectorGraphKey.graph(ofRowKey: graph.key(.node, slot: 9)) == graph)
        let row = HNSWNodeRow(level: 2, tombstoneEpoch: nil, id: "m1")
        #expect(try HNSWNodeRow.decode(row.encode(), context: "test") == row)
        let tombstone = HNSWNodeRow(level: 1, tombstoneEpoch: 3, id: nil)
        #expect(try HNSWNodeRow.decode(tombstone.encode(), context: "test") == tombstone)
        // Levels are drawn from the id alone, geometrically.
        let levels = (0..<4000).map { HNSWLevel.draw(for: NodeID("n\($0)"), multiplier: 1 / HNSWLevel.naturalLog(16)) }
        #expect(levels == (0..<4000).map { HNSWLevel.draw(for: NodeID("n\($0)"), multiplier: 1 / HNSWLevel.naturalLog(16)) })
        let above = levels.filter { $0 >= 1 }.count
        #expect(above > 150 && above < 350, "about 1/16 of the nodes reach level 1: \(above)")
        #expect(abs(HNSWLevel.naturalLog(16) - 2.772588722239781) < 1e-12)
    }
}
