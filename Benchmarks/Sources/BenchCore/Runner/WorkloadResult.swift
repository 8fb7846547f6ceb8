/// One JSON line of WORKLOADS.md: one (engine, workload) result.
public struct WorkloadResult: Sendable, Equatable {
    /// Engine name.
    public var peer: String
    /// Workload name.
    public var workload: String
    /// Operations timed (keys written, gets, keys scanned, commits; 1 for `open`).
    public var n: Int
    /// `n / elapsed`; nil for `open`.
    public var opsPerSecond: Double?
    /// Nearest-rank median latency in microseconds, where measured.
    public var p50Microseconds: Double?
    /// Nearest-rank 99th percentile latency in microseconds, where measured.
    public var p99Microseconds: Double?
    /// Space on disk after close and `sync()`, where measured.
    public var bytesOnDisk: UInt64?
    /// `bytesOnDisk / (N * (16 + 100))`.
    public var spaceAmplification: Double?
    /// The workload's miss count, where it defines one.
    public var misses: Int?
    /// Elapsed time of the timed region in milliseconds.
    public var milliseconds: Double
    /// The seed.
    public var seed: UInt64
    /// CPU time of the process (every thread) over the timed region in milliseconds, where
    /// measured; emitted as a trailing `cpu_ms` only then.
    public var cpuMilliseconds: Double?

    /// A result; the optional fields default to null.
    public init(
        peer: String, workload: String, n: Int, opsPerSecond: Double? = nil,
        p50Microseconds: Double? = nil, p99Microseconds: Double? = nil,
        bytesOnDisk: UInt64? = nil, spaceAmplification: Double? = nil,
        misses: Int? = nil, milliseconds: Double, seed: UInt64
    ) {
        self.peer = peer
        self.workload = workload
        self.n = n
        self.opsPerSecond = opsPerSecond
        self.p50Microseconds = p50Microseconds
        self.p99Microseconds = p99Microseconds
        self.bytesOnDisk = bytesOnDisk
        self.spaceAmplification = spaceAmplification
        self.misses = misses
        self.milliseconds = milliseconds
        self.seed = seed
    }

    /// The JSON line, fields in the documented order, no trailing newline:
    /// `{"peer":…,"workload":…,"n":…,"ops_per_s":…,"p50_us":…,"p99_us":…,`
    /// `"bytes_on_disk":…,"space_amp":…,"misses":…,"ms":…,"seed":…}`.
    /// ops_per_s and ms have 1 decimal, p50_us and p99_us 2, space_amp 3.
    public var jsonLine: String {
        var s = "{\"peer\":\(Self.jsonString(peer)),\"workload\":\(Self.jsonString(workload))"
        s += ",\"n\":\(n)"
        s += ",\"ops_per_s\":\(Self.fixed(opsPerSecond, 1))"
        s += ",\"p50_us\":\(Self.fixed(p50Microseconds, 2))"
        s += ",\"p99_us\":\(Self.fixed(p99Microseconds, 2))"
        s += ",\"bytes_on_disk\":\(bytesOnDisk.map { String($0) } ?? "null")"
        s += ",\"space_amp\":\(Self.fixed(spaceAmplification, 3))"
        s += ",\"misses\":\(misses.map { String($0) } ?? "null")"
        s += ",\"ms\":\(Self.fixed(milliseconds, 1))"
        s += ",\"seed\":\(seed)"
        if let cpuMilliseconds { s += ",\"cpu_ms\":\(Self.fixed(cpuMilliseconds, 1))" }
        return s + "}"
    }

    /// `value` with exactly `decimals` digits after the point (rounded half
    /// away from zero), or `null`.
    static func fixed(_ value: Double?, _ decimals: Int) -> String {
        guard let value else { return "null" }
        guard value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return String(value) }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        let fraction = String(units % UInt64(scale))
        let sign = value < 0 && units != 0 ? "-" : ""
        return "\(sign)\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
