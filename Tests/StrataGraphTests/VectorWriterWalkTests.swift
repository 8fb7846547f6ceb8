import Foundation
import StrataEngine
@_spi(Testing) @testable import StrataGraph
import StrataRandom
import StrataTestSupport
import Testing

/// The writer's walk (insert, repair) builds the same graph as the code path it replaced: one
/// search core for readers and writers must not change a single neighbour list of a seeded build.
@Suite struct VectorWriterWalkTests {
    /// FNV-1a over every row of `graph.hnsw` in key order: a fingerprint of the whole graph.
    static func fingerprint(_ fixture: VectorFixture) throws -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: [UInt8]) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            hash = (hash ^ UInt64(bytes.count)) &* 0x0000_0100_0000_01b3
        }
        var cursor = try fixture.store.trees.hnsw.scan(prefix: [UInt8]())
        while let entry = try cursor.next() {
            mix(entry.key)
            mix(entry.value)
        }
        return hash
    }

    /// Builds a seeded graph: 700 vectors in one transaction, a search (so the writer meets
    /// cached rows), 300 more in small transactions, a third deleted, a full repair, 200 more.
    /// Returns the fingerprints after the bulk insert and at the end.
    static func build(metric: DistanceMetric) throws -> (bulk: UInt64, final: UInt64) {
        var fixture = try VectorFixture(metric: metric)
        try fixture.insert(0..<700, batch: 700)
        let bulk = try fingerprint(fixture)
        _ = try fixture.recall((0..<5).map { _ in fixture.vector() }, ef: 64)
        try fixture.insert(700..<1000, batch: 60)
        try fixture.store.delete(contentsOf: stride(from: 0, to: 1000, by: 3).map { NodeID("v\($0)") })
        try fixture.store.repairVectorIndex(batchSize: 100)
        try fixture.insert(1000..<1200, batch: 200)
        let report = try fixture.store.verify()
        #expect(report.isSound, "\(report.problems)")
        #expect(try fixture.recall((0..<20).map { _ in fixture.vector() }, ef: 64) >= 0.95)
        return (bulk, try fingerprint(fixture))
    }

    /// The fingerprints of the code path before the shared core (commit 3847cb3), per metric.
    static let expected: [DistanceMetric: (bulk: UInt64, final: UInt64)] = [
        .l2: (8_226_921_564_460_468_630, 11_756_988_702_854_832_154),
        .cosine: (11_599_776_844_690_620_060, 2_301_146_368_767_215_708),
    ]

    @Test(arguments: [DistanceMetric.l2, .cosine])
    func theSharedWalkBuildsTheSameGraph(metric: DistanceMetric) throws {
        let built = try Self.build(metric: metric)
        let expected = try #require(Self.expected[metric])
        #expect(built.bulk == expected.bulk, "bulk insert of 700 in one transaction")
        #expect(built.final == expected.final, "after batches, deletes, repair and reinserts")
    }
}
