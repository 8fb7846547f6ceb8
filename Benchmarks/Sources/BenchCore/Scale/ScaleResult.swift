/// One JSON line of the scale workload: WORKLOADS.md's fields (so `results.py` reads it
/// like any other line), then the scale figures.
///
/// `{…standard fields…,"scale_n":…,"p999_us":…,"max_us":…,"write_bytes":…,"write_amp":…,`
/// `"peak_rss_mib":…,"anon_rss_mib":…,"harness_rss_mib":…,"budget_mib":…,"capped":…,"hist_us":[[lower_us,count],…]}`
public struct ScaleResult: Sendable, Equatable {
    /// The standard fields. `p50_us`/`p99_us` are per-commit latencies for the write phases
    /// and per-get for readrandom.
    public var base: WorkloadResult
    /// N, the number of keys the fill writes (`n` is the operations this phase timed).
    public var keys: Int
    /// Nearest-rank p99.9 latency in microseconds.
    public var p999Microseconds: Double?
    /// The largest latency in microseconds.
    public var maxMicroseconds: Double?
    /// Bytes written to storage during the phase (`/proc/self/io` write_bytes minus
    /// cancelled_write_bytes, every thread of the process).
    public var writeBytes: UInt64?
    /// `writeBytes` per byte inserted (`n * (16 + 100)`); nil for phases that insert nothing.
    public var writeAmplification: Double?
    /// The process's peak resident set (`VmHWM`) at the end of the phase, in MiB.
    public var peakResidentMiB: Double?
    /// The anonymous part of the resident set at the end of the phase (`RssAnon`), in MiB:
    /// the peak counts file pages mapped in too, which for LMDB is its whole database.
    public var anonymousResidentMiB: Double?
    /// The harness's own resident set before the database opened (holding one
    /// N-entry permutation), in MiB: the engine's share of the peak is the difference.
    public var harnessResidentMiB: Double?
    /// The memory budget each of cache and write buffer got, in MiB.
    public var budgetMiB: Int
    /// True if the fill hit the time limit: `n` is then the keys it wrote, and no phase followed.
    public var capped: Bool
    /// Latency histogram of the phase's commits or gets; nil where not measured.
    public var histogram: LatencyHistogram?

    /// A result with the standard fields `base`; the scale fields default to null.
    public init(base: WorkloadResult, keys: Int, budgetMiB: Int) {
        self.base = base
        self.keys = keys
        self.budgetMiB = budgetMiB
        capped = false
    }

    /// Fills the latency fields (standard p50/p99 too) and the histogram from `latencies` (nanoseconds).
    public mutating func setLatencies(_ latencies: [UInt64]) {
        let percentiles = Percentiles(latencies)
        base.p50Microseconds = percentiles.microseconds(50)
        base.p99Microseconds = percentiles.microseconds(99)
        p999Microseconds = percentiles.nanoseconds(perMille: 999).map { Double($0) / 1000 }
        maxMicroseconds = percentiles.maximum.map { Double($0) / 1000 }
        histogram = LatencyHistogram(latencies)
    }

    /// The JSON line, no trailing newline.
    public var jsonLine: String {
        func mib(_ value: Double?) -> String { WorkloadResult.fixed(value, 1) }
        // The standard fields, `cpu_ms` (CPU time of every thread over the phase) last if measured.
        var s = String(base.jsonLine.dropLast())
        s += ",\"scale_n\":\(keys)"
        s += ",\"p999_us\":\(WorkloadResult.fixed(p999Microseconds, 2))"
        s += ",\"max_us\":\(WorkloadResult.fixed(maxMicroseconds, 2))"
        s += ",\"write_bytes\":\(writeBytes.map { String($0) } ?? "null")"
        s += ",\"write_amp\":\(WorkloadResult.fixed(writeAmplification, 3))"
        s += ",\"peak_rss_mib\":\(mib(peakResidentMiB)),\"anon_rss_mib\":\(mib(anonymousResidentMiB))"
        s += ",\"harness_rss_mib\":\(mib(harnessResidentMiB))"
        s += ",\"budget_mib\":\(budgetMiB),\"capped\":\(capped)"
        s += ",\"hist_us\":\(histogram?.json ?? "null")}"
        return s
    }
}
