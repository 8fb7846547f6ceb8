/// Latencies counted in logarithmic buckets, ten per decade (the Renard R10 series 1, 1.25,
/// 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8), from 1 µs to 800 s, for plotting stalls.
///
/// Bucket `i` holds the latencies in `[edges[i], edges[i + 1])` nanoseconds; the first also
/// holds everything below 1 µs and the last everything from 800 s up.
public struct LatencyHistogram: Sendable, Equatable {
    /// The lower edge of each bucket, in nanoseconds, ascending; the first is 1 µs.
    public static let edges: [UInt64] = {
        let steps: [UInt64] = [100, 125, 160, 200, 250, 320, 400, 500, 630, 800]
        var edges: [UInt64] = []
        var decade: UInt64 = 10  // 1 µs = 100 * 10 ns
        for _ in 0..<9 {
            for step in steps { edges.append(step * decade) }
            decade *= 10
        }
        return edges
    }()

    /// The count in each bucket, parallel to `edges`.
    public private(set) var counts: [Int]

    /// An empty histogram.
    public init() {
        counts = [Int](repeating: 0, count: Self.edges.count)
    }

    /// A histogram of `latencies` (nanoseconds).
    public init(_ latencies: [UInt64]) {
        self.init()
        for latency in latencies { add(latency) }
    }

    /// The bucket of a latency of `nanoseconds`.
    public static func bucket(_ nanoseconds: UInt64) -> Int {
        // The last edge not above the latency (binary search; 0 below the first edge).
        var low = 0
        var high = edges.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if edges[middle] <= nanoseconds { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Counts one latency of `nanoseconds`.
    public mutating func add(_ nanoseconds: UInt64) {
        counts[Self.bucket(nanoseconds)] += 1
    }

    /// The non-empty buckets as JSON: `[[lower_us,count],…]`, lower edges in microseconds.
    public var json: String {
        var parts: [String] = []
        for (index, count) in counts.enumerated() where count > 0 {
            let edge = Self.edges[index]
            let micros = edge % 1000 == 0 ? String(edge / 1000) : WorkloadResult.fixed(Double(edge) / 1000, 2)
            parts.append("[\(micros),\(count)]")
        }
        return "[" + parts.joined(separator: ",") + "]"
    }
}
