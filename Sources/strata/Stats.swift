import ArgumentParser
import StrataEngine

/// `strata stats DIR`: trees, segments, bytes, cache and durability state.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show trees, segments, sizes, live ratio, cache and durability state.",
        discussion: "With --json, prints the engine's DatabaseStatistics as JSON for scripts.")

    @Argument(help: "The database directory.")
    var directory: String

    @Flag(help: "Print DatabaseStatistics as JSON.")
    var json = false

    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (statistics, disk) = try global.withDatabase(directory, reading: reading) { database in
            (try database.statistics(), Measurement.directorySize(directory))
        }
        if json {
            try Console.printJSON(statistics)
        } else {
            print(StatisticsReport(statistics, diskBytes: disk.bytes, files: disk.files).render())
        }
    }
}

/// The human form of ``DatabaseStatistics``.
struct StatisticsReport {
    let statistics: DatabaseStatistics
    let diskBytes: UInt64
    let files: Int

    init(_ statistics: DatabaseStatistics, diskBytes: UInt64, files: Int) {
        self.statistics = statistics
        self.diskBytes = diskBytes
        self.files = files
    }

    func render() -> String {
        let s = statistics
        var trees = Table("tree", "keys")
        for tree in s.trees { trees.add(tree.name, "\(tree.keys)") }
        var segments = Table("segment", "bytes", "live bytes", "live")
        for segment in s.segments {
            segments.add(
                "seg-\(segment.id)", Measurement.bytes(segment.bytes), Measurement.bytes(segment.liveBytes),
                Measurement.percent(segment.liveRatio))
        }
        let liveRatio = s.segmentBytes == 0 ? 1 : Double(s.liveBytes) / Double(s.segmentBytes)
        let lookups = s.cacheHits + s.cacheMisses
        var lines = [
            "Trees",
            trees.render(),
            "",
            "Segments",
            segments.render(),
            "",
            "Space",
            "  on disk        \(Measurement.bytes(diskBytes)) in \(files) files",
            "  segments       \(Measurement.bytes(s.segmentBytes)), live \(Measurement.bytes(s.liveBytes)) (\(Measurement.percent(liveRatio)))",
            "  WAL            \(Measurement.bytes(s.walBytes)) since the last checkpoint",
            "  dirty pages    \(Measurement.bytes(s.dirtyBytes))",
            "",
            "Cache",
            "  used           \(Measurement.bytes(s.cacheBytes)) of \(Measurement.bytes(s.cacheBudget)) in \(s.cacheEntries) pages",
            "  hits / misses  \(s.cacheHits) / \(s.cacheMisses)"
                + (lookups > 0 ? " (\(Measurement.percent(Double(s.cacheHits) / Double(lookups))) hits)" : ""),
            "",
            "Durability",
            "  last commit    \(s.sequence) (durable through \(s.durableSequence))",
            "  checkpoint     epoch \(s.checkpointEpoch)"
                + (s.lastCheckpointMilliseconds.map { ", last took " + Measurement.ms($0) } ?? ""),
        ]
        if s.writesDisabled { lines.append("  WRITES DISABLED after an I/O failure: reopen the database") }
        return lines.joined(separator: "\n")
    }
}
