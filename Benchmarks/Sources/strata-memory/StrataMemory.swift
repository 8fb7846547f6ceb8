import BenchCore
import Foundation
import StrataEngine
import StrataFill

/// Fills a Strata database with N keys in WORKLOADS.md's fillrandom order under fixed cache
/// and dirty budgets, then reads them all back, printing the process's resident memory beside
/// the engine's own cache and dirty accounting as it goes, and the peak at the end.
///
/// The harness itself holds one permutation of N (4 bytes a key) at a time: its resident size
/// with that permutation, before the database opens, is printed as the baseline, and the
/// engine's share as the peak minus that baseline.
///
///     strata-memory N CACHE_MIB DIRTY_MIB DIR
@main
struct StrataMemory {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 5, let n = Int(arguments[1]), let cacheMiB = Int(arguments[2]),
            let dirtyMiB = Int(arguments[3])
        else {
            FileHandle.standardError.write(Data("usage: strata-memory N CACHE_MIB DIRTY_MIB DIR\n".utf8))
            exit(2)
        }
        let directory = arguments[4]
        try? FileManager.default.removeItem(atPath: directory)
        var configuration = Database.Configuration()
        configuration.cacheBytes = cacheMiB << 20
        configuration.dirtyBytes = dirtyMiB << 20
        configuration.walBytes = max(dirtyMiB, 64) << 20
        let data = WorkloadData(seed: 42)
        let clock = ContinuousClock()
        let started = clock.now
        var order = data.permutation(tag: 1, n: n)
        let baseline = residentMiB(peak: false)
        print("harness baseline RSS \(baseline) MiB (with one permutation of \(n))")
        let db = try Database.open(at: directory, configuration: configuration)
        let tree = try db.tree("bench")
        try fillRandom(db, tree, order: order) { try report(db, "fill \($0)", since: started) }
        order = []  // released before the read order is made, so only one is ever held
        order = data.permutation(tag: 3, n: n)
        try db.flush()
        let readStart = clock.now
        var misses = 0
        for (i, p) in order.enumerated() {
            if try tree.get(WorkloadData.key(UInt64(p))) == nil { misses += 1 }
            if (i + 1) % (n / 5) == 0 { try report(db, "read \(i + 1)", since: readStart) }
        }
        try db.close()
        let peak = residentMiB(peak: true)
        print(
            "peak RSS \(peak) MiB, engine \(peak - baseline) MiB over the harness baseline (cache \(cacheMiB) MiB, dirty \(dirtyMiB) MiB, \(n) keys, \(misses) misses)"
        )
    }

    static func report(_ db: Database, _ label: String, since start: ContinuousClock.Instant) throws {
        let stats = try db.statistics()
        let seconds = Double((ContinuousClock.now - start).components.seconds)
            + Double((ContinuousClock.now - start).components.attoseconds) / 1e18
        print(
            "\(label): \(String(format: "%.1f", seconds)) s, RSS \(residentMiB(peak: false)) MiB, cache \(stats.cacheBytes >> 20) MiB, dirty \(stats.dirtyBytes >> 20) MiB, segments \(stats.segmentBytes >> 20) MiB, checkpoint #\(stats.checkpointEpoch)"
        )
    }

    /// VmRSS (or VmHWM for the peak) from /proc/self/status, in MiB.
    static func residentMiB(peak: Bool) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        let field = peak ? "VmHWM:" : "VmRSS:"
        for line in status.split(separator: "\n") where line.hasPrefix(field) {
            let kib = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kib / 1024
        }
        return -1
    }
}
