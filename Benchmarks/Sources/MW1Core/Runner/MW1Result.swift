/// One JSON line of MEMORY-WORKLOAD.md: one phase of one store on one dataset.
public struct MW1Result: Sendable, Equatable {
    /// The store's name.
    public var store: String
    /// The phase.
    public var phase: MW1Phase
    /// Operations timed (transactions for `ingest`, queries, forget lines, records the sweep
    /// removed for `expire`, 1 for `reopen`); 0 when unsupported.
    public var n: Int
    /// `n / elapsed seconds`, where it means something.
    public var opsPerSecond: Double?
    /// Nearest-rank median latency of one operation, microseconds.
    public var p50Microseconds: Double?
    /// Nearest-rank 99th percentile latency, microseconds.
    public var p99Microseconds: Double?
    /// Mean recall@k over the phase's queries (vector phases; on `recheck`, over its vector queries).
    public var recall: Double?
    /// Answers that differ from the truth (exact phases), or, for `expire`, 1 if the sweep
    /// removed a different number of records than the dataset says.
    public var wrong: Int?
    /// Ids of removed records found in answers (`recheck`, `reopen`).
    public var violations: Int?
    /// Space on disk after the ingest, close and `sync()` (`ingest` only).
    public var bytesOnDisk: UInt64?
    /// Elapsed milliseconds: the open on `reopen`, the sweep on `expire`, the phase otherwise.
    public var milliseconds: Double?
    /// False when the store does not answer the phase (every measure is then null).
    public var supported: Bool
    /// The dataset's name (`mw1-100k-s1`).
    public var dataset: String

    /// A result; measures default to null.
    public init(
        store: String, phase: MW1Phase, n: Int, opsPerSecond: Double? = nil, p50Microseconds: Double? = nil,
        p99Microseconds: Double? = nil, recall: Double? = nil, wrong: Int? = nil, violations: Int? = nil,
        bytesOnDisk: UInt64? = nil, milliseconds: Double? = nil, supported: Bool = true, dataset: String
    ) {
        (self.store, self.phase, self.n, self.opsPerSecond) = (store, phase, n, opsPerSecond)
        (self.p50Microseconds, self.p99Microseconds, self.recall) = (p50Microseconds, p99Microseconds, recall)
        (self.wrong, self.violations, self.bytesOnDisk) = (wrong, violations, bytesOnDisk)
        (self.milliseconds, self.supported, self.dataset) = (milliseconds, supported, dataset)
    }

    /// The JSON line, no trailing newline, keys in this order: `store`, `phase`, `n`,
    /// `ops_per_s` (1 decimal), `p50_us`, `p99_us` (2), `recall` (4), `wrong`, `violations`,
    /// `bytes_on_disk`, `ms` (3), `supported`, `dataset`; a missing measure is `null`.
    public var jsonLine: String {
        func int<T: BinaryInteger>(_ v: T?) -> String { v.map { String($0) } ?? "null" }
        var s = "{\"store\":\(Self.quoted(store)),\"phase\":\(Self.quoted(phase.rawValue)),\"n\":\(n)"
        s += ",\"ops_per_s\":\(Self.fixed(opsPerSecond, 1))"
        s += ",\"p50_us\":\(Self.fixed(p50Microseconds, 2)),\"p99_us\":\(Self.fixed(p99Microseconds, 2))"
        s += ",\"recall\":\(Self.fixed(recall, 4)),\"wrong\":\(int(wrong)),\"violations\":\(int(violations))"
        s += ",\"bytes_on_disk\":\(int(bytesOnDisk)),\"ms\":\(Self.fixed(milliseconds, 3))"
        s += ",\"supported\":\(supported),\"dataset\":\(Self.quoted(dataset))}"
        return s
    }

    /// `value` with exactly `decimals` digits after the point, or `null`.
    static func fixed(_ value: Double?, _ decimals: Int) -> String {
        guard let value, value.isFinite else { return "null" }
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

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
