import BenchCore
import Foundation
import StrataEngine
import StrataFill

/// Open time after a crash.
///
///     strata-open fill DIR N      fillrandom of N keys in batches of 1000, no syncs but the
///                                 default 100 ms background flush; prints each 10% to stderr
///     strata-open measure DIR     times Database.open and the first get of key(0), and prints
///                                 one JSON line
///     strata-open idle DIR [CYCLES]  open + close time of an idle database (read-write and
///                                 read-only, median of CYCLES, default 200) and the threads,
///                                 descriptors and memory per open database (100 open at once)
///
/// `open-after-kill.sh` runs `fill`, kills it with SIGKILL part-way, then runs `measure`.
@main
struct StrataOpen {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else { usage() }
        let directory = arguments[2]
        switch arguments[1] {
        case "fill":
            guard arguments.count == 4, let n = Int(arguments[3]) else { usage() }
            try fill(directory, n)
        case "measure":
            try measure(directory)
        case "idle":
            try idle(directory, cycles: arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200)
        default:
            usage()
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: strata-open fill DIR N | strata-open measure DIR | strata-open idle DIR [CYCLES]\n".utf8))
        exit(2)
    }

    static func fill(_ directory: String, _ n: Int) throws {
        // No change-feed history: every WAL file left is one the measured open replays.
        var configuration = Database.Configuration()
        configuration.changeRetentionBytes = 0
        let db = try Database.open(at: directory, configuration: configuration)
        try fillRandom(db, try db.tree("bench"), n: n) {
            FileHandle.standardError.write(Data("filled \($0)\n".utf8))
        }
        try db.close()
    }

    static func measure(_ directory: String) throws {
        let walBytes = (try? FileManager.default.contentsOfDirectory(atPath: directory))?
            .filter { $0.hasPrefix("wal-") }
            .compactMap { try? FileManager.default.attributesOfItem(atPath: directory + "/" + $0)[.size] as? Int }
            .reduce(0, +) ?? 0
        let clock = ContinuousClock()
        let start = clock.now
        let db = try Database.open(at: directory)
        let found = try db.existingTree("bench")?.get(WorkloadData.key(0)) != nil
        let elapsed = clock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let keys = try db.existingTree("bench")?.count ?? 0
        try db.close()
        print(
            "{\"peer\":\"strata\",\"workload\":\"open_after_kill\",\"ms\":\(String(format: "%.1f", ms)),\"wal_bytes\":\(walBytes),\"keys\":\(keys),\"first_get_found\":\(found)}"
        )
    }
}
