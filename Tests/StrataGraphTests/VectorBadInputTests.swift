import Foundation
import StrataEngine
@testable import StrataGraph
import StrataTestSupport
import Testing

/// Bad vectors and search arguments throw typed errors and change nothing stored.
@Suite struct VectorBadInputTests {
    @Test func badInputThrowsItsCodeAndChangesNothing() throws {
        var fixture = try VectorFixture(dimension: 8, metric: .cosine)
        try fixture.insert(0..<50)
        let store = fixture.store
        let good = fixture.vector()
        let rows = try fixture.hnswRows()
        let statistics = try store.statistics()
        func expectCode(_ code: StrataError.Code, _ label: String, _ body: () throws -> Void) {
            do {
                try body()
                Issue.record("\(label): no error")
            } catch let error as StrataError {
                #expect(error.code == code, "\(label): \(error)")
            } catch {
                Issue.record("\(label): \(error)")
            }
        }
        expectCode(.dimensionMismatch, "a vector of the wrong length") { try store.setVector([1, 2], for: "v1", in: "text") }
        expectCode(.nonFiniteVector, "NaN") { try store.setVector(good.enumerated().map { $0.offset == 3 ? .nan : $0.element }, for: "v1", in: "text") }
        expectCode(.nonFiniteVector, "infinity") { try store.setVector(good.map { _ in .infinity }, for: "v1", in: "text") }
        expectCode(.invalidField, "a zero vector under cosine") { try store.setVector(Array(repeating: 0, count: 8), for: "v1", in: "text") }
        expectCode(.missingRecord, "an unknown space") { try store.setVector(good, for: "v1", in: "nope") }
        expectCode(.missingRecord, "an unknown node") { try store.setVector(good, for: "nobody", in: "text") }
        expectCode(.dimensionMismatch, "a bad vector in a batch") {
            try store.write { graph in try graph.setVectors([(NodeID("v1"), good), (NodeID("v2"), [Float]([1]))], in: "text") }
        }
        let reader = try store.reader()
        expectCode(.dimensionMismatch, "a query of the wrong length") { _ = try reader.nearest(to: [1], k: 1, in: "text", namespace: "ns") }
        expectCode(.nonFiniteVector, "a NaN query") { _ = try reader.nearest(to: good.map { _ in .nan }, k: 1, in: "text", namespace: "ns") }
        expectCode(.invalidField, "a zero query under cosine") { _ = try reader.nearest(to: Array(repeating: 0, count: 8), k: 1, in: "text", namespace: "ns") }
        expectCode(.missingRecord, "a query in an unknown space") { _ = try reader.nearest(to: good, k: 1, in: "nope", namespace: "ns") }
        expectCode(.invalidField, "k = 0") { _ = try reader.nearest(to: good, k: 0, in: "text", namespace: "ns") }
        expectCode(.invalidField, "k < 0") { _ = try reader.nearest(to: good, k: -3, in: "text", namespace: "ns") }
        expectCode(.invalidField, "a huge k") { _ = try reader.nearest(to: good, k: GraphLimits.maxNearestK + 1, in: "text", namespace: "ns") }
        expectCode(.invalidField, "a huge k, exact") { _ = try reader.exactNearest(to: good, k: Int.max, in: "text", namespace: "ns") }
        expectCode(.invalidField, "ef < k") { _ = try reader.nearest(to: good, k: 10, in: "text", namespace: "ns", ef: 5) }
        expectCode(.invalidField, "a huge ef") { _ = try reader.nearest(to: good, k: 10, in: "text", namespace: "ns", ef: Int.max) }
        expectCode(.invalidField, "a bad configuration") {
            _ = try MemoryStore.open(at: fixture.directory.path + "-other", configuration: .init(vectorIndex: VectorIndexConfiguration(m: 1)))
        }
        #expect(try fixture.hnswRows() == rows)
        #expect(try store.statistics() == statistics)
        #expect(try store.verify().isSound)
        // k up to the limit is served (capped by what exists, and said so).
        let all = try reader.nearest(to: good, k: GraphLimits.maxNearestK, in: "text", namespace: "ns")
        #expect(all.hits.count == 50)
        #expect(all.filterExhausted)
    }
}
