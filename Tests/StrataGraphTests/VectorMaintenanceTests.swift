import Foundation
import StrataEngine
@_spi(Testing) @testable import StrataGraph
import StrataRandom
import StrataTestSupport
import Testing

/// Repair, space reclaimed under churn, rebuild, verify of damaged rows, the index built for a
/// store made before it.
@Suite struct VectorMaintenanceTests {
    @Test func aRepairCutShortResumesAfterReopen() throws {
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(threshold: 1))
        try fixture.insert(0..<600)
        try fixture.store.delete(contentsOf: stride(from: 0, to: 600, by: 3).map { NodeID("v\($0)") })
        #expect(try fixture.store.repairVectorIndex(batchSize: 50, maxBatches: 4) == 4)
        let graph = VectorGraphKey(namespace: "ns", space: "text")
        #expect(try fixture.store.trees.hnsw.get(graph.repairKey) != nil, "a pass is under way")
        #expect(try fixture.store.verify().isSound)
        try fixture.store.close()
        let reopened = try MemoryStore.open(at: fixture.directory.path, configuration: VectorFixture.configuration(threshold: 1))
        #expect(try reopened.verify().isSound)
        #expect(try reopened.vectorIndexStatistics().first?.tombstones == 200)
        try reopened.repairVectorIndex(batchSize: 50)
        let statistics = try #require(try reopened.vectorIndexStatistics().first)
        #expect(statistics.tombstones == 0)
        #expect(statistics.freeSlots == 200)
        #expect(try reopened.trees.hnsw.get(graph.repairKey) == nil)
        let report = try reopened.verify()
        #expect(report.isSound, "\(report.problems)")
        try reopened.close()
    }

    /// A tombstone that the pass will free still lists the tombstones freed before it in the
    /// same free phase (the rewire skips it): verify holds after every batch of the pass.
    @Test func verifyHoldsAfterEveryRepairBatch() throws {
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(threshold: 1))
        try fixture.insert(0..<60)
        try fixture.store.delete(contentsOf: stride(from: 0, to: 60, by: 2).map { NodeID("v\($0)") })
        let graph = VectorGraphKey(namespace: "ns", space: "text")
        var batches = 0
        repeat {
            try fixture.store.repairVectorIndex(batchSize: 1, maxBatches: 1)
            batches += 1
            let report = try fixture.store.verify()
            #expect(report.isSound, "after batch \(batches): \(report.problems)")
        } while try fixture.store.trees.hnsw.get(graph.repairKey) != nil && batches < 200
        #expect(try fixture.store.vectorIndexStatistics().first?.tombstones == 0)
    }

    @Test func churnDoesNotGrowTheIndex() throws {
        // One repair batch (of up to 512 nodes) runs after each write past the threshold.
        var fixture = try VectorFixture(configuration: VectorFixture.configuration(threshold: 0.2, repairBatch: 512))
        try fixture.insert(0..<300)
        var sizes: [Int] = []
        var next = 300
        for round in 0..<10 {
            // Replace a third of the live vectors: delete 100, insert 100.
            let live = try fixture.store.reader().exactNearest(to: fixture.vector(), k: 100, in: "text", namespace: "ns").hits.map(\.id)
            try fixture.store.delete(contentsOf: live)
            try fixture.insert(next..<next + 100)
            next += 100
            if round >= 3 { sizes.append(try fixture.store.trees.hnsw.count) }
        }
        let statistics = try #require(try fixture.store.vectorIndexStatistics().first)
        #expect(statistics.live == 300)
        // Slots stay within a bounded multiple of the live count (tombstones are repaired and
        // their slots reused), so the rows do not grow with the churn.
        #expect(statistics.live + statistics.tombstones + statistics.freeSlots <= 900, "\(statistics)")
        #expect(sizes.max()! <= sizes.min()! * 3 / 2, "\(sizes)")
        #expect(try fixture.store.verify().isSound)
    }

    @Test func verifyReportsDamagedRows() throws {
        var fixture = try VectorFixture()
        try fixture.insert(0..<200)
        #expect(try fixture.store.verify().isSound)
        let graph = VectorGraphKey(namespace: "ns", space: "text")
        let trees = fixture.store.trees
        // A neighbour list pointing at a slot that holds no node.
        let key = graph.neighboursKey(slot: 5, level: 0)
        let original = try #require(try trees.hnsw.get(key))
        try fixture.store.database.write { tx in try tx.insert(HNSWNeighbourCodec.encode([1, 99_999]), forKey: key, in: trees.hnsw) }
        #expect(try fixture.store.verify().problems.contains { $0.contains("lists 99999") })
        try fixture.store.database.write { tx in try tx.insert(original, forKey: key, in: trees.hnsw) }
        #expect(try fixture.store.verify().isSound)
        // A missing id row, and a header that miscounts.
        try fixture.store.database.write { tx in try tx.remove(graph.slotKey(of: "v7"), from: trees.hnsw) }
        #expect(try !fixture.store.verify().isSound)
        try fixture.store.rebuildVectorIndex(space: "text", namespace: "ns")
        let report = try fixture.store.verify()
        #expect(report.isSound, "\(report.problems)")
        #expect(report.vectorIndexNodes == 200)
    }

    @Test func aStoreWithoutTheIndexGetsItAtOpen() throws {
        var fixture = try VectorFixture()
        try fixture.insert(0..<300)
        let query = fixture.vector()
        let expected = try fixture.store.reader().exactNearest(to: query, k: 5, in: "text", namespace: "ns").hits
        // The state of a store written before the index existed: no HNSW row.
        let trees = fixture.store.trees
        try fixture.store.database.write { tx in try tx.clear(trees.hnsw) }
        #expect(try !fixture.store.verify().isSound)
        try fixture.store.close()
        let reopened = try MemoryStore.open(at: fixture.directory.path, configuration: VectorFixture.configuration())
        #expect(try reopened.verify().isSound)
        #expect(try reopened.vectorIndexStatistics().first?.live == 300)
        #expect(try reopened.reader().nearest(to: query, k: 5, in: "text", namespace: "ns", ef: 100).hits.map(\.id) == expected.map(\.id))
        try reopened.close()
    }
}
