import StrataGraph

/// The one place where the vector commands call the store's search, so that the index's search
/// breadth (`ef`) is handed over in exactly one spot.
enum VectorBench {
    /// What answers the searches: reported in every bench line.
    static let searchMethod = "exact-scan"

    /// The `k` nearest vectors to `query` in `space` of `namespace` that pass `filter`.
    ///
    /// `ef` is the HNSW search breadth. Today's `GraphReader.nearest` is an exact scan and takes
    /// none, so it is ignored here; when the HNSW index lands, pass it on:
    /// `reader.nearest(to: query, k: k, in: space, namespace: namespace, filter: filter, ef: ef)`
    /// and set ``searchMethod`` to `"hnsw"`.
    static func search(
        reader: GraphReader, query: [Float], k: Int, ef: Int?, space: String, namespace: String,
        filter: VectorFilter = .none
    ) throws -> VectorSearchResult {
        _ = ef
        return try reader.nearest(to: query, k: k, in: space, namespace: namespace, filter: filter)
    }
}
