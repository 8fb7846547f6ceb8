#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `clock_gettime(CLOCK_MONOTONIC)`, the clock every timed region uses.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point.
    @inlinable
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// Reads `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`: CPU time of every thread of the process.
/// Beside the wall time, it shows the work a phase did when other processes compete for the CPU.
public enum ProcessCPUClock {
    /// CPU nanoseconds the process has used so far.
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Milliseconds of CPU since `start` (a value of `now()`).
    public static func milliseconds(since start: UInt64) -> Double {
        Double(now() &- start) / 1e6
    }
}
