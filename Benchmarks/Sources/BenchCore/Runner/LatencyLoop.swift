/// A timed loop with one clock read per operation: each operation's latency
/// is the gap between consecutive clock reads.
struct LatencyLoop {
    /// Per-operation latencies in nanoseconds.
    var latencies: [UInt64]
    /// First clock read to last.
    var elapsed: UInt64

    /// Runs `operation(index, keyBuffer)` for `index` in `0..<count`, lending a
    /// reusable key buffer of `keyLength` bytes.
    static func run(
        count: Int, keyLength: Int,
        _ operation: (Int, UnsafeMutableRawBufferPointer) throws -> Void
    ) throws -> LatencyLoop {
        var latencies = [UInt64](repeating: 0, count: count)
        let key = UnsafeMutableRawBufferPointer.allocate(byteCount: max(keyLength, 1), alignment: 8)
        defer { key.deallocate() }
        let slice = UnsafeMutableRawBufferPointer(rebasing: key[0..<keyLength])
        let start = MonotonicClock.now()
        var previous = start
        try latencies.withUnsafeMutableBufferPointer { latencies in
            for index in 0..<count {
                try operation(index, slice)
                let now = MonotonicClock.now()
                latencies[index] = now &- previous
                previous = now
            }
        }
        return LatencyLoop(latencies: latencies, elapsed: previous &- start)
    }

    func result(peer: String, workload: String, misses: Int?, seed: UInt64) -> WorkloadResult {
        let percentiles = Percentiles(latencies)
        let n = latencies.count
        return WorkloadResult(
            peer: peer, workload: workload, n: n,
            opsPerSecond: elapsed == 0 ? nil : Double(n) / (Double(elapsed) / 1e9),
            p50Microseconds: percentiles.microseconds(50), p99Microseconds: percentiles.microseconds(99),
            misses: misses, milliseconds: Double(elapsed) / 1e6, seed: seed
        )
    }
}
