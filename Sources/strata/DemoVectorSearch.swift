import Foundation
import StrataEngine
import StrataGraph

/// The demo's vector searches over its memories: a semantic search through the HNSW index beside
/// the exact scan (recall and both timings), a filtered one (important memories) likewise, and a
/// hybrid query (the nearest messages, then the entities they mention) on one reader.
struct DemoVectorSearch {
    let store: MemoryStore
    let namespace: String
    let report: DemoReport
    /// The candidate list the HNSW searches walk with.
    static let ef = 64

    /// Runs the three searches; returns the semantic search's query vector.
    func run() throws -> [Float] {
        let text = "deploy schedule friday deadline"
        let query = DemoEmbedding.vector(of: text)
        try compare("Semantic search: nearest 10 to \"\(text)\"", query, filter: .none)
        var important = VectorFilter()
        important.kinds = [.memory]
        important.minImportance = 0.7
        try compare("Filtered search: nearest 10 memories of importance >= 0.7", query, filter: important)
        try hybrid(DemoEmbedding.vector(of: "release blocked by failing tests"))
        return query
    }

    /// `nearest` at ``ef`` beside `exactNearest` with the same filter: the hits, the recall of
    /// the index against the exact answer (a hit tied with the exact 10th counts) and both times.
    private func compare(_ title: String, _ query: [Float], filter: VectorFilter) throws {
        let reader = try store.reader()
        let (approximate, indexTime) = try Measurement.time {
            try reader.nearest(to: query, k: 10, in: DemoEmbedding.spaceName, namespace: namespace, filter: filter, ef: Self.ef)
        }
        let (exact, exactTime) = try Measurement.time {
            try reader.exactNearest(to: query, k: 10, in: DemoEmbedding.spaceName, namespace: namespace, filter: filter)
        }
        let kth = exact.hits.last?.distance ?? 0
        let found = approximate.hits.filter { $0.distance <= kth }.count
        let recall = exact.hits.isEmpty ? 1 : Double(found) / Double(exact.hits.count)
        let records = try reader.nodes(approximate.hits.prefix(5).map(\.id))
        report.section(
            "\(title) in \(DemoEmbedding.spaceName) (HNSW, ef \(Self.ef))", indexTime,
            [
                String(format: "recall@10 %.2f against the exact scan; HNSW %@ (%d distances), exact %@ (%d distances)",
                       recall, Measurement.ms(indexTime), approximate.scanned, Measurement.ms(exactTime), exact.scanned)
            ] + zip(approximate.hits, records).map { hit, node in
                String(format: "%.3f  ", hit.distance) + "\(node.id)  \(DemoReport.describe(node))"
            })
    }

    /// The 3 nearest messages, then the entities they mention, ranked: one `hybridSearch` call
    /// on one snapshot.
    private func hybrid(_ query: [Float]) throws {
        let (result, time) = try Measurement.time {
            try store.reader().hybridSearch(
                to: query, messages: 3, in: DemoEmbedding.spaceName, namespace: namespace, ef: Self.ef, entityLimit: 50)
        }
        var lines = result.messages.hits.map { hit in
            let names = result.entities.filter { $0.mentionedBy.contains(hit.id) }.compactMap { $0.entity.entity?.name }
            return String(format: "%.3f  ", hit.distance) + "\(hit.id) mentions "
                + (names.isEmpty ? "nothing" : names.sorted().joined(separator: ", "))
        }
        lines.append("entities ranked: " + result.entities.map { String(format: "%@ %.2f", $0.entity.entity?.name ?? "\($0.entity.id)", $0.score) }
            .joined(separator: ", "))
        report.section("Hybrid: the 3 messages nearest to \"release blocked by failing tests\", then their entities (one hybridSearch call)", time, lines)
    }
}
