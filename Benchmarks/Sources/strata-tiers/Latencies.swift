import BenchCore
import Foundation

/// Per-operation latencies, by wall clock and by the calling thread's CPU time (the second is what
/// a loaded, shared machine distorts least).
struct Latencies {
    private(set) var wall: [Double] = []
    private(set) var cpu: [Double] = []

    /// Runs `body` once, recording its wall and thread-CPU time in microseconds.
    @discardableResult
    mutating func time<T>(_ body: () throws -> T) rethrows -> T {
        let cpuStart = Self.threadCPU()
        let start = MonotonicClock.now()
        let result = try body()
        let end = MonotonicClock.now()
        cpu.append(Double(Self.threadCPU() &- cpuStart) / 1000)
        wall.append(Double(end &- start) / 1000)
        return result
    }

    /// Nanoseconds of CPU the calling thread has used.
    static func threadCPU() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    var count: Int { wall.count }

    /// The fields of a result line: n, wall p50/p99/max, CPU p50/p99 and mean (µs).
    var fields: [String: Any] {
        [
            "n": wall.count,
            "p50_us": Self.rounded(Self.percentile(wall, 0.50)), "p99_us": Self.rounded(Self.percentile(wall, 0.99)),
            "max_us": Self.rounded(wall.max() ?? 0),
            "cpu_p50_us": Self.rounded(Self.percentile(cpu, 0.50)), "cpu_p99_us": Self.rounded(Self.percentile(cpu, 0.99)),
            "cpu_mean_us": Self.rounded(cpu.isEmpty ? 0 : cpu.reduce(0, +) / Double(cpu.count)),
        ]
    }

    /// The nearest-rank percentile `q` of `values` (0 when empty).
    static func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func rounded(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }
}

/// Writes the benchmark's JSON lines: each phase's fields plus the run's settings and the machine
/// (host, CPU model, cores, memory, the one-minute load average when the line is written).
struct ResultWriter {
    let common: [String: Any]

    init(settings: [String: Any]) {
        var common = settings
        common["bench"] = "tiers"
        common["host"] = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "?"
        common["cores"] = ProcessInfo.processInfo.activeProcessorCount
        common["memory_gib"] = Latencies.rounded(Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)
        common["cpu_model"] = Self.cpuModel()
        self.common = common
    }

    /// Prints one line: `phase` with `fields` and the common ones.
    func line(_ phase: String, _ fields: [String: Any]) {
        var object = common.merging(fields) { _, new in new }
        object["phase"] = phase
        object["load_avg"] = Latencies.rounded(Self.loadAverage())
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    static func loadAverage() -> Double {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) >= 1 ? loads[0] : 0
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "?" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?"
        }
        return "?"
    }
}

/// Progress on stderr (the JSON lines go to stdout).
func note(_ text: String) {
    FileHandle.standardError.write(Data(("strata-tiers: " + text + "\n").utf8))
}

/// Seconds of wall and process CPU `body` took.
func measure<T>(_ body: () throws -> T) rethrows -> (result: T, wall: Double, cpu: Double) {
    let cpu = ProcessCPUClock.now()
    let start = MonotonicClock.now()
    let result = try body()
    return (result, Double(MonotonicClock.now() &- start) / 1e9, ProcessCPUClock.milliseconds(since: cpu) / 1000)
}
