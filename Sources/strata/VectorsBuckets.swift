import StrataGraph
import StrataRandom

/// The bench's filter buckets: every node gets one of 100 custom kinds (`b00` … `b99`) from a
/// hash of its row, so a filter on the first `s × 100` kinds has selectivity `s` and its
/// candidates come from the structural (kind) index.
enum VectorsBuckets {
    static let count = 100

    /// Row `index`'s bucket, 0 ..< 100, the same for every run.
    static func bucket(of index: Int) -> Int {
        var generator = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9_7F4A_7C15 ^ 0x5EED)
        return Int(generator.next() % UInt64(count))
    }

    /// The custom kind of a bucket.
    static func kind(of bucket: Int) -> String {
        bucket < 10 ? "b0\(bucket)" : "b\(bucket)"
    }

    /// How many buckets a selectivity takes (0.01 → 1, 0.1 → 10).
    static func buckets(for selectivity: Double) -> Int {
        Int((selectivity * Double(count)).rounded())
    }

    /// Whether row `index` passes the filter of `selectivity`.
    static func admits(_ index: Int, selectivity: Double) -> Bool {
        bucket(of: index) < buckets(for: selectivity)
    }

    /// The vector filter that admits the buckets of `selectivity`.
    static func filter(selectivity: Double) -> VectorFilter {
        VectorFilter(kinds: Set((0..<buckets(for: selectivity)).map { NodeKind.custom(kind(of: $0)) }))
    }
}
