/// The exact top-k of a scan: keeps the `k` best (score, id) pairs seen, best first by score
/// descending then id ascending (bytewise, as MEMORY-WORKLOAD.md orders ties). For drivers
/// that answer the vector phases by an exact scan.
public struct ExactTopK {
    /// How many to keep.
    public let k: Int
    private var best: [(score: Double, id: String)] = []

    /// An empty top-`k`.
    public init(k: Int) {
        self.k = k
        best.reserveCapacity(k + 1)
    }

    @inline(__always)
    private static func before(_ a: (score: Double, id: String), _ b: (score: Double, id: String)) -> Bool {
        a.score > b.score || (a.score == b.score && a.id.utf8.lexicographicallyPrecedes(b.id.utf8))
    }

    /// Whether a candidate with this score could enter (a cheap test before building its id).
    @inline(__always)
    public func admits(_ score: Double) -> Bool {
        best.count < k || score >= best[best.count - 1].score
    }

    /// Offers one candidate.
    public mutating func offer(score: Double, id: String) {
        guard k > 0, admits(score) else { return }
        let item = (score: score, id: id)
        if best.count == k {
            if !Self.before(item, best[k - 1]) { return }
            best.removeLast()
        }
        var position = best.count
        while position > 0 && Self.before(item, best[position - 1]) { position -= 1 }
        best.insert(item, at: position)
    }

    /// The ids kept, best first.
    public var ids: [String] { best.map(\.id) }

    /// The dot product of two vectors of equal length, accumulated in Double (as the truth files
    /// are computed: float64 over the stored Float32 values).
    @inline(__always)
    public static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Double {
        precondition(a.count == b.count, "vectors of different dimensions")
        var sum = 0.0
        for i in 0..<a.count { sum += Double(a[i]) * Double(b[i]) }
        return sum
    }
}
