import StrataGraph

/// The one place where the vector commands call the store's search, so that the index's search
/// breadth (`ef`) is handed over in exactly one spot.
enum VectorBench {
    /// What answers the searches: reported in every bench line.
    static let searchMethod = "hnsw"

    /// The `k` nearest vectors to `query` in `space` of `namespace` that pass `filter`.
    ///
    /// `ef` is the HNSW search breadth (nil: the index's default).
    static func search(
        reader: GraphReader, query: [Float], k: Int, ef: Int?, space: String, namespace: String,
        filter: VectorFilter = .none
    ) throws -> VectorSearchResult {
        try reader.nearest(to: query, k: k, in: space, namespace: namespace, filter: filter, ef: ef)
    }
}
