import BenchCore

/// The latencies of one phase's operations and its wall time, for p50/p99 and ops/s.
struct LatencyLog {
    private(set) var nanoseconds: [UInt64] = []
    private(set) var wallNanoseconds: UInt64 = 0
    private var started: UInt64 = 0

    init(capacity: Int) { nanoseconds.reserveCapacity(capacity) }

    /// Starts the phase's wall clock.
    mutating func start() { started = MonotonicClock.now() }

    /// Stops the phase's wall clock.
    mutating func stop() { wallNanoseconds = MonotonicClock.now() - started }

    /// Runs `body` timed as one operation.
    mutating func time<T>(_ body: () throws -> T) rethrows -> T {
        let t0 = MonotonicClock.now()
        let value = try body()
        nanoseconds.append(MonotonicClock.now() - t0)
        return value
    }

    var count: Int { nanoseconds.count }

    var opsPerSecond: Double? {
        wallNanoseconds > 0 && count > 0 ? Double(count) / (Double(wallNanoseconds) / 1e9) : nil
    }

    var milliseconds: Double { Double(wallNanoseconds) / 1e6 }

    func percentiles() -> (p50: Double?, p99: Double?) {
        let p = Percentiles(nanoseconds)
        return (p.microseconds(50), p.microseconds(99))
    }

    /// Appends another log's operations (its wall time adds up too).
    mutating func append(_ other: LatencyLog) {
        nanoseconds += other.nanoseconds
        wallNanoseconds += other.wallNanoseconds
    }
}
