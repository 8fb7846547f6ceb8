import Foundation
import StrataEngine

/// What an idle open database costs: open + close time (read-write and read-only) and the
/// threads, file descriptors and resident memory each of 100 open databases adds.
///
///     strata-open idle DIR [CYCLES]   prints one JSON line
extension StrataOpen {
    static func idle(_ directory: String, cycles: Int) throws {
        let path = directory + "/idle"
        let db = try Database.open(at: path)
        try db.tree("t").insert(Array("value".utf8), forKey: Array("key".utf8))
        try db.close()

        var readOnly = Database.Configuration()
        readOnly.readOnly = true
        let readWriteMicros = try timeCycles(cycles) { try Database.open(at: path).close() }
        let readOnlyMicros = try timeCycles(cycles) { try Database.open(at: path, configuration: readOnly).close() }

        // 100 read-write databases, each its own directory (default configuration: background
        // flush every 100 ms), then 100 read-only opens of one directory (a shared lock each).
        let count = 100
        let paths = (0..<count).map { directory + "/many-\($0)" }
        for path in paths { try Database.open(at: path).close() }
        let before = ProcessCounts.now()
        var open = try paths.map { try Database.open(at: $0) }
        Thread.sleep(forTimeInterval: 0.5)  // let the background scheduler tick them all
        let withReadWrite = ProcessCounts.now()
        for db in open { try db.close() }
        open = try (0..<count).map { _ in try Database.open(at: path, configuration: readOnly) }
        Thread.sleep(forTimeInterval: 0.5)
        let withReadOnly = ProcessCounts.now()
        for db in open { try db.close() }

        func perDatabase(_ after: Int, _ base: Int) -> String { String(format: "%.2f", Double(after - base) / Double(count)) }
        print(
            "{\"peer\":\"strata\",\"workload\":\"idle_open\",\"cycles\":\(cycles),"
                + "\"open_close_rw_us_median\":\(format(median(readWriteMicros))),\"open_close_ro_us_median\":\(format(median(readOnlyMicros))),"
                + "\"open_close_rw_us_mean\":\(format(mean(readWriteMicros))),\"open_close_ro_us_mean\":\(format(mean(readOnlyMicros))),"
                + "\"databases\":\(count),\"threads_before\":\(before.threads),\"threads_rw\":\(withReadWrite.threads),\"threads_ro\":\(withReadOnly.threads),"
                + "\"fds_before\":\(before.descriptors),\"fds_per_rw_db\":\(perDatabase(withReadWrite.descriptors, before.descriptors)),"
                + "\"fds_per_ro_db\":\(perDatabase(withReadOnly.descriptors, before.descriptors)),"
                + "\"rss_kib_per_rw_db\":\(perDatabase(withReadWrite.residentKiB, before.residentKiB)),"
                + "\"rss_kib_per_ro_db\":\(perDatabase(withReadOnly.residentKiB, before.residentKiB))}")
    }

    /// Microseconds of each of `cycles` runs of `body` (after 10 unmeasured ones).
    static func timeCycles(_ cycles: Int, _ body: () throws -> Void) throws -> [Double] {
        for _ in 0..<10 { try body() }
        let clock = ContinuousClock()
        return try (0..<cycles).map { _ in
            let start = clock.now
            try body()
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
        }
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// Threads, open descriptors and resident memory of this process, from /proc/self.
struct ProcessCounts {
    var threads: Int
    var descriptors: Int
    var residentKiB: Int

    static func now() -> ProcessCounts {
        let fm = FileManager.default
        let threads = (try? fm.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1
        let descriptors = (try? fm.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
        // statm: size resident shared ... in pages.
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return ProcessCounts(threads: threads, descriptors: descriptors, residentKiB: pages * Int(getpagesize()) / 1024)
    }
}
