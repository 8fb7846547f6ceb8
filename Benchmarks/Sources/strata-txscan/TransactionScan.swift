import Foundation
import StrataEngine

/// Reads over a transaction's own writes: N inserts, each followed by a prefix scan of the
/// inserted key's group (up to 8 pending keys and 2 committed ones), all in one transaction,
/// over a tree holding N/4 committed keys (2 in each group the scans read). With a sorted overlay and a lazy
/// merging cursor the time per step stays flat as N grows (linear overall); re-sorting every
/// pending key per scan made it grow with N (quadratic overall).
///
///     strata-txscan [DIR] [N...]     default N: 1000 10000 100000
///
/// Prints one line per N, the best of three runs: wall and CPU time (this thread's, which a
/// busy machine does not inflate), both per insert-and-scan step, and the entries read.
@main
struct TransactionScan {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let directory = arguments.first.flatMap { Int($0) == nil ? $0 : nil }
            ?? NSTemporaryDirectory() + "strata-txscan-\(getpid())"
        if arguments.first == directory { arguments.removeFirst() }
        let sizes = arguments.isEmpty ? [1000, 10000, 100_000] : arguments.compactMap { Int($0) }
        print("ops      wall_ms  wall_ns/step   cpu_ms  cpu_ns/step  entries_read")
        for n in sizes {
            let path = directory + "/n\(n)"
            var best = (wall: Double.infinity, cpu: Double.infinity, read: 0)
            for _ in 0..<3 {
                try? FileManager.default.removeItem(atPath: path)
                let run = try run(path, n)
                best = (min(best.wall, run.wall), min(best.cpu, run.cpu), run.read)
            }
            print(String(format: "%-8d %8.1f %13.0f %8.1f %12.0f %13d",
                         n, best.wall * 1e3, best.wall * 1e9 / Double(n), best.cpu * 1e3, best.cpu * 1e9 / Double(n), best.read))
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Seconds of CPU this thread has used.
    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// A key of group `i / 8`: 4 big-endian bytes of the group, then 4 of `i`, then `tag`.
    static func key(_ i: Int, tag: UInt8) -> [UInt8] {
        let group = UInt32(i / 8)
        let index = UInt32(i)
        return withUnsafeBytes(of: group.bigEndian, Array.init) + withUnsafeBytes(of: index.bigEndian, Array.init) + [tag]
    }

    static func run(_ path: String, _ n: Int) throws -> (wall: Double, cpu: Double, read: Int) {
        let db = try Database.open(at: path)
        let tree = try db.tree("bench")
        let value = [UInt8](repeating: 0x5A, count: 64)
        try db.write { tx in
            for i in 0..<(n / 4) { try tx.insert(value, forKey: key(i * 4, tag: 0), in: tree) }
        }
        // Timed inside the transaction: the steps, not the commit (its WAL write and the
        // checkpoint it may start are the same whatever the reads cost).
        let clock = ContinuousClock()
        var read = 0
        var cpu = 0.0
        var elapsed = Duration.zero
        try db.write { tx in
            let view = tx[tree]
            let cpuStart = threadCPUTime()
            let start = clock.now
            for i in 0..<n {
                let key = key(i, tag: 1)
                try view.insert(value, forKey: key)
                var cursor = try view.scan(prefix: Array(key.prefix(4)))
                while try cursor.next() != nil { read += 1 }
            }
            elapsed = clock.now - start
            cpu = threadCPUTime() - cpuStart
        }
        try db.close()
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (wall, cpu, read)
    }
}
