import Foundation

/// What the bench reads about its own process: resident memory, CPU time, load average.
enum VectorsProcess {
    /// The resident set size (VmRSS of /proc/self/status), in bytes; 0 where there is none.
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return 0
    }

    /// CPU time the process has used (every thread), in seconds.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The one-minute load average, which says how far wall-clock rates can be trusted.
    static func loadAverage() -> Double {
        var loads = [Double](repeating: 0, count: 3)
        return getloadavg(&loads, 3) >= 1 ? loads[0] : 0
    }

    /// Wall and CPU seconds `body` took.
    static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, wall: Double, cpu: Double) {
        let cpu = cpuSeconds()
        let (result, milliseconds) = try Measurement.time(body)
        return (result, milliseconds / 1000, cpuSeconds() - cpu)
    }
}
