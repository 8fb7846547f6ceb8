/// Recall@k: how much of the exact answer a search found.
public enum Recall {
    /// |found ∩ exact[..<k]| / min(k, exact.count) for one query; 1 when the exact answer is
    /// empty and nothing was found. `found` beyond its first `k` entries is ignored.
    public static func of(_ found: [Int], exact: [Int], k: Int) -> Double {
        let expected = Set(exact.prefix(k))
        guard !expected.isEmpty else { return found.isEmpty ? 1 : 0 }
        let hits = Set(found.prefix(k)).intersection(expected).count
        return Double(hits) / Double(expected.count)
    }

    /// The mean recall@k over queries (`found[i]` against `exact[i]`).
    public static func mean(_ found: [[Int]], exact: [[Int]], k: Int) -> Double {
        precondition(found.count == exact.count, "\(found.count) answers for \(exact.count) queries")
        guard !found.isEmpty else { return 1 }
        return zip(found, exact).reduce(0) { $0 + of($1.0, exact: $1.1, k: k) } / Double(found.count)
    }
}
