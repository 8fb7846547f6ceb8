/// Nearest-rank percentiles of latencies: the value at sorted index
/// `ceil(p/100 * n) - 1`.
public struct Percentiles: Sendable {
    /// Latencies in nanoseconds, sorted ascending.
    public let sorted: [UInt64]

    /// Sorts `latencies` (in nanoseconds).
    public init(_ latencies: [UInt64]) {
        sorted = latencies.sorted()
    }

    /// The nearest-rank `p`th percentile in nanoseconds (`p` in 1...100), or nil if empty.
    public func nanoseconds(_ p: Int) -> UInt64? {
        precondition((1...100).contains(p))
        guard !sorted.isEmpty else { return nil }
        // ceil(p * n / 100) - 1 in integers, so that 0.99 * n has no rounding error.
        let rank = (p * sorted.count + 99) / 100
        return sorted[max(rank, 1) - 1]
    }

    /// The nearest-rank percentile at `perMille` thousandths (`perMille` in 1...1000: 999 is
    /// p99.9) in nanoseconds, or nil if empty: the value at sorted index `ceil(perMille/1000 * n) - 1`.
    public func nanoseconds(perMille: Int) -> UInt64? {
        precondition((1...1000).contains(perMille))
        guard !sorted.isEmpty else { return nil }
        let rank = (perMille * sorted.count + 999) / 1000
        return sorted[max(rank, 1) - 1]
    }

    /// The largest latency in nanoseconds, or nil if empty.
    public var maximum: UInt64? { sorted.last }

    /// The nearest-rank `p`th percentile in microseconds, or nil if empty.
    public func microseconds(_ p: Int) -> Double? {
        nanoseconds(p).map { Double($0) / 1000 }
    }
}
