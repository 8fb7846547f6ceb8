import Foundation
import StrataEngine
@testable import StrataGraph
import StrataRandom
import StrataTestSupport

/// A store with one conversation and seeded clustered vectors, for the vector index tests.
struct VectorFixture {
    let store: MemoryStore
    let directory: TemporaryDirectory
    let dimension: Int
    let chat: NodeID = "chat"
    let base = Date(timeIntervalSince1970: 1_700_000_000)
    var random: SplitMix64
    /// The cluster centres the vectors are drawn around.
    let centres: [[Float]]

    static func configuration(
        exactScanBound: Int = 0, cacheBytes: Int = 64 << 20, threshold: Double = 0.2, repairBatch: Int = 64
    ) -> MemoryStore.Configuration {
        MemoryStore.Configuration(
            clock: { Date(timeIntervalSince1970: 1_700_100_000) },
            vectorIndex: VectorIndexConfiguration(
                efConstruction: 40, cacheBytes: cacheBytes, repairBatchSize: repairBatch, consolidationThreshold: threshold,
                exactScanBound: exactScanBound))
    }

    init(dimension: Int = 24, metric: DistanceMetric = .l2, seed: UInt64 = 7, configuration: MemoryStore.Configuration = VectorFixture.configuration()) throws {
        directory = try TemporaryDirectory()
        store = try MemoryStore.open(at: directory.path, configuration: configuration)
        self.dimension = dimension
        var random = SplitMix64(seed: seed)
        var centres: [[Float]] = []
        for _ in 0..<20 { centres.append((0..<dimension).map { _ in Float.random(in: -10..<10, using: &random) }) }
        self.centres = centres
        self.random = random
        try store.write { graph in
            try graph.define(EmbeddingSpace(name: "text", model: "test", dimension: dimension, metric: metric))
            try graph.insert(Node(id: chat, namespace: "ns", createdAt: base, .conversation(Conversation(title: "vectors"))))
        }
    }

    /// A vector near a random centre.
    mutating func vector() -> [Float] {
        let centre = centres[Int(random.next() % UInt64(centres.count))]
        return centre.map { $0 + Float.random(in: -1..<1, using: &random) }
    }

    /// Inserts messages `range` (ids "v<n>") with vectors, `batch` per transaction; returns the vectors.
    @discardableResult
    mutating func insert(_ range: Range<Int>, batch: Int = 500) throws -> [NodeID: [Float]] {
        var all: [NodeID: [Float]] = [:]
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + batch, range.upperBound)
            var pairs: [(NodeID, [Float])] = []
            for index in start..<end { pairs.append((NodeID("v\(index)"), vector())) }
            let chat = self.chat
            let base = self.base
            try store.write { graph in
                for (offset, (id, vector)) in pairs.enumerated() {
                    try graph.insert(Node(
                        id: id, namespace: "ns", createdAt: base.addingTimeInterval(Double(start + offset)),
                        .message(Message(conversation: chat, role: (start + offset) % 10 == 0 ? .user : .assistant, text: "m"))))
                    try graph.setVector(vector, for: id, in: "text")
                }
            }
            for (id, vector) in pairs { all[id] = vector }
            start = end
        }
        return all
    }

    /// recall@k of `nearest` against `exactNearest` over `queries`.
    func recall(_ queries: [[Float]], k: Int = 10, ef: Int? = nil, filter: VectorFilter = .none) throws -> Double {
        let reader = try store.reader()
        var found = 0
        var total = 0
        for query in queries {
            let truth = Set(try reader.exactNearest(to: query, k: k, in: "text", namespace: "ns", filter: filter).hits.map(\.id))
            let result = try reader.nearest(to: query, k: k, in: "text", namespace: "ns", filter: filter, ef: ef)
            found += Set(result.hits.map(\.id)).intersection(truth).count
            total += truth.count
        }
        return total == 0 ? 1 : Double(found) / Double(total)
    }

    /// Every row of `graph.hnsw`, raw.
    func hnswRows() throws -> [[UInt8]: [UInt8]] {
        var rows: [[UInt8]: [UInt8]] = [:]
        var cursor = try store.trees.hnsw.scan(prefix: [UInt8]())
        while let entry = try cursor.next() { rows[entry.key] = entry.value }
        return rows
    }
}
