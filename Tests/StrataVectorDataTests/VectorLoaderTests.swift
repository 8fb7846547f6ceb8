import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import StrataVectorData
import Testing

/// The loader `strata vectors import` and `bench` write with: batches, ids, and the checks that
/// refuse a file before any of it is written.
@Suite struct VectorLoaderTests {
    /// `count` pseudo-random rows (a 64-bit LCG: no two rows alike).
    static func rows(_ count: Int, dimension: Int = 4) throws -> VectorRows<Float> {
        var state: UInt64 = 42
        let values = (0..<count * dimension).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        return try VectorRows(dimension: dimension, values: values)
    }

    static func space(dimension: Int = 4) -> EmbeddingSpace {
        EmbeddingSpace(name: "s", model: "fvecs", dimension: dimension, metric: .l2)
    }

    @Test func loadsEveryRowInBatchesAndFindsEachByItsOwnVector() throws {
        let directory = try TemporaryDirectory(prefix: "vector-loader")
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }
        let rows = try Self.rows(250)
        let loader = VectorLoader(store: store, space: Self.space(), namespace: "ns", batchSize: 100)
        try loader.checkFits(rows, indices: 0..<rows.count)
        var progress: [Int] = []
        try loader.load(rows, indices: Array(0..<rows.count)) { progress.append($0) }
        #expect(progress == [100, 200, 250])
        #expect(try store.statistics().vectorCount == 250)
        for row in [0, 99, 100, 249] {
            let hits = try store.reader().nearest(to: rows[row], k: 1, in: "s", namespace: "ns").hits
            #expect(hits.map(\.id) == [VectorLoader.id(row)])
            #expect(hits.first?.distance == 0)
        }
    }

    @Test func aFileThatDoesNotFitIsRefusedBeforeAnythingIsWritten() throws {
        let directory = try TemporaryDirectory(prefix: "vector-loader")
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }
        let loader = VectorLoader(store: store, space: Self.space(), namespace: "ns")
        try loader.load(try Self.rows(3), indices: [0, 1, 2])
        let before = try store.statistics()

        // Rows 0..<5 again: v0 exists.
        let again = #expect(throws: StrataError.self) { try loader.checkFits(try Self.rows(5), indices: 0..<5) }
        #expect(again?.code == .duplicateID)
        // Another dimension, and another metric, for the same space name.
        let wider = VectorLoader(store: store, space: Self.space(dimension: 8), namespace: "ns")
        let dimension = #expect(throws: StrataError.self) { try wider.checkFits(try Self.rows(2, dimension: 8), indices: 10..<12) }
        #expect(dimension?.code == .dimensionMismatch)
        var cosine = Self.space()
        cosine.metric = .cosine
        let metric = #expect(throws: StrataError.self) {
            try VectorLoader(store: store, space: cosine, namespace: "ns").checkFits(try Self.rows(2), indices: 10..<12)
        }
        #expect(metric?.code == .dimensionMismatch)

        let after = try store.statistics()
        #expect(after.vectorCount == before.vectorCount)
        #expect(after.nodeCount == before.nodeCount)
        #expect(try store.node(VectorLoader.id(3)) == nil)
        // New ids of the same space fit.
        try loader.checkFits(try Self.rows(5), indices: 3..<5)
    }

    @Test func deleteRemovesTheNodesAndTheirVectors() throws {
        let directory = try TemporaryDirectory(prefix: "vector-loader")
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }
        let rows = try Self.rows(5)
        let loader = VectorLoader(store: store, space: Self.space(), namespace: "ns", batchSize: 2)
        try loader.load(rows, indices: Array(0..<5))
        try loader.delete(indices: [0, 2, 4])
        #expect(try store.statistics().vectorCount == 2)
        try loader.load(rows, indices: [0], prefix: "r")
        let hit = try store.reader().nearest(to: rows[0], k: 1, in: "s", namespace: "ns").hits.first
        #expect(hit?.id == VectorLoader.id(0, prefix: "r"))
    }

    @Test func rowsAreReadBackFromIds() {
        #expect(VectorLoader.row(of: VectorLoader.id(12)) == 12)
        #expect(VectorLoader.row(of: VectorLoader.id(3, prefix: "r")) == 3)
        #expect(VectorLoader.row(of: NodeID("x")) == nil)
        #expect(VectorLoader.row(of: NodeID("vx1")) == nil)
        #expect(VectorLoader.row(of: NodeID.generate()) == nil)
    }
}
