import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// The HNSW index as a user who read only the docs meets it: `nearest(to:k:in:namespace:ef:)`
/// against `exactNearest`, forget then search, reopen then search, and bad queries refused with
/// typed errors that change nothing.
@Suite struct VectorIndexBlackBoxTests {
    /// A small index that walks its graph (TUNING.md: `exactScanBound` 0 turns the exact scan of
    /// small candidate sets off), with 600 seeded vectors of 16 dimensions in 12 clusters.
    struct Corpus {
        let directory: TemporaryDirectory
        var store: MemoryStore
        var ids: [NodeID] = []
        var path: String { directory.appending("graph") }
        static let index = VectorIndexConfiguration(m: 6, efConstruction: 48, exactScanBound: 0)
        static let configuration = MemoryStore.Configuration(clock: { GraphHarness.now }, vectorIndex: index)

        init(count: Int = 600, metric: DistanceMetric = .l2) throws {
            directory = try TemporaryDirectory(prefix: "strata-blackbox-vectors")
            store = try MemoryStore.open(at: directory.appending("graph"), configuration: Self.configuration)
            try store.define(EmbeddingSpace(name: "text", model: "test-model", dimension: 16, metric: metric))
            var rng = SeededRandom(seed: 11)
            let centres = (0..<12).map { _ in Self.vector(&rng, scale: 1) }
            var ids: [NodeID] = []
            try store.write { graph in
                for i in 0..<count {
                    let id = NodeID("n\(i)")
                    try graph.insert(Node(id: id, namespace: "ns", createdAt: GraphHarness.base, .entity(Entity(type: .concept, name: "n\(i)"))))
                    let centre = centres[i % centres.count]
                    try graph.setVector(zip(centre, Self.vector(&rng, scale: 0.3)).map { $0 + $1 }, for: id, in: "text")
                    ids.append(id)
                }
            }
            self.ids = ids
        }

        static func vector(_ rng: inout SeededRandom, scale: Float) -> [Float] {
            (0..<16).map { _ in Float.random(in: -scale...scale, using: &rng) }
        }

        mutating func reopen() throws {
            try store.close()
            store = try MemoryStore.open(at: path, configuration: Self.configuration)
        }

        /// The mean recall@k of `nearest` at `ef` against `exactNearest` over `queries`, checking
        /// that every hit is one `exactNearest` could return (never a deleted id).
        func recall(_ queries: [[Float]], k: Int, ef: Int, excluded: Set<NodeID> = []) throws -> Double {
            let reader = try store.reader()
            var found = 0
            var wanted = 0
            for query in queries {
                let exact = try reader.exactNearest(to: query, k: k, in: "text", namespace: "ns").hits
                let approximate = try reader.nearest(to: query, k: k, in: "text", namespace: "ns", ef: ef).hits
                #expect(approximate.count == exact.count)
                #expect(Set(approximate.map(\.id)).count == approximate.count, "no id twice")
                #expect(approximate.map(\.distance) == approximate.map(\.distance).sorted(), "ascending distances")
                #expect(approximate.allSatisfy { !excluded.contains($0.id) }, "a deleted node returned")
                let kth = exact.last?.distance ?? 0
                found += approximate.filter { $0.distance <= kth + 1e-4 * max(1, abs(kth)) }.count  // ties with the k-th count
                wanted += exact.count
            }
            return Double(found) / Double(max(wanted, 1))
        }
    }

    static func queries(_ count: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in Corpus.vector(&rng, scale: 1) }
    }

    @Test func recallAgainstTheExactScanAndAMultiLevelGraph() throws {
        let corpus = try Corpus()
        let statistics = try corpus.store.vectorIndexStatistics()
        #expect(statistics.count == 1)
        #expect(statistics.first?.live == 600)
        #expect((statistics.first?.levels ?? 0) >= 2, "600 vectors at M 6 span several levels")
        #expect(statistics.first?.m == 6)
        let queries = Self.queries(40, seed: 5)
        #expect(try corpus.recall(queries, k: 10, ef: 128) >= 0.95)
        #expect(try corpus.recall(queries, k: 1, ef: 64) >= 0.9)
        #expect(try corpus.store.verify().isSound)
    }

    @Test func forgetThenSearchNeverReturnsTheForgotten() throws {
        var corpus = try Corpus()
        let forgotten = Set(corpus.ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        for id in forgotten.sorted() { _ = try corpus.store.forget(id) }
        let queries = Self.queries(30, seed: 6)
        // The stored vectors of forgotten nodes as queries: their own nodes would be nearest.
        #expect(try corpus.recall(queries, k: 10, ef: 128, excluded: forgotten) >= 0.9)
        try corpus.store.repairVectorIndex()
        let repaired = try corpus.store.vectorIndexStatistics()
        #expect(repaired.first?.live == 400)
        #expect(repaired.first?.tombstones == 0, "repair frees every tombstone")
        #expect(try corpus.recall(queries, k: 10, ef: 128, excluded: forgotten) >= 0.9)
        #expect(try corpus.store.verify().isSound)
        // Reopened: the same answers, from the stored graph.
        let before = try corpus.store.reader().nearest(to: queries[0], k: 10, in: "text", namespace: "ns", ef: 64).hits.map(\.id)
        try corpus.reopen()
        let after = try corpus.store.reader().nearest(to: queries[0], k: 10, in: "text", namespace: "ns", ef: 64).hits.map(\.id)
        #expect(before == after)
        #expect(try corpus.recall(queries, k: 10, ef: 128, excluded: forgotten) >= 0.9)
        // A rebuild keeps the answers' quality.
        try corpus.store.rebuildVectorIndex(space: "text", namespace: "ns")
        #expect(try corpus.recall(queries, k: 10, ef: 128, excluded: forgotten) >= 0.9)
        #expect(try corpus.store.verify().isSound)
    }

    @Test func badQueriesAndVectorsAreTypedErrorsThatChangeNothing() throws {
        let corpus = try Corpus(count: 200, metric: .cosine)
        let store = corpus.store
        let query = Self.queries(1, seed: 7)[0]
        func fingerprint() throws -> String {
            let hits = try store.reader().nearest(to: query, k: 20, in: "text", namespace: "ns", ef: 64).hits
            return "\(try store.vectorIndexStatistics()) \(hits.map(\.id)) \(try store.reader().vector(of: corpus.ids[0], in: "text") ?? [])"
        }
        let before = try fingerprint()
        let reader = try store.reader()
        func search(_ vector: [Float], k: Int = 5, space: String = "text", ef: Int? = nil) throws {
            _ = try reader.nearest(to: vector, k: k, in: space, namespace: "ns", ef: ef)
        }
        expectCode(.dimensionMismatch, "wrong dimension") { try search(Array(query.prefix(15))) }
        expectCode(.nonFiniteVector, "NaN") { try search([Float.nan] + query.dropFirst()) }
        expectCode(.nonFiniteVector, "infinity") { try search([Float.infinity] + query.dropFirst()) }
        expectCode(.invalidField, "zero vector under cosine") { try search([Float](repeating: 0, count: 16)) }
        expectCode(.missingRecord, "unknown space") { try search(query, space: "images") }
        expectCode(.invalidField, "k 0") { try search(query, k: 0) }
        expectCode(.invalidField, "k negative") { try search(query, k: -3) }
        expectCode(.invalidField, "huge k") { try search(query, k: Int.max) }
        expectCode(.invalidField, "ef below k") { try search(query, k: 10, ef: 5) }
        expectCode(.invalidField, "exactNearest, k 0") { _ = try reader.exactNearest(to: query, k: 0, in: "text", namespace: "ns") }
        let id = corpus.ids[0]
        expectCode(.dimensionMismatch, "a stored vector of the wrong dimension") { try store.setVector([1, 2, 3], for: id, in: "text") }
        expectCode(.nonFiniteVector, "a stored NaN") { try store.setVector([Float.nan] + query.dropFirst(), for: id, in: "text") }
        expectCode(.invalidField, "a stored zero vector") { try store.setVector([Float](repeating: 0, count: 16), for: id, in: "text") }
        expectCode(.missingRecord, "a vector in an unknown space") { try store.setVector(query, for: id, in: "images") }
        #expect(try fingerprint() == before, "nothing stored changed")
        #expect(try store.verify().isSound)
    }
}
