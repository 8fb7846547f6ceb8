import ArgumentParser
import Foundation
import StrataTiers

/// `strata-tiers`: issue 12's tier benchmark. Builds a tiered store of `--archived` messages over
/// `--quarters` archive quarters plus `--active` messages in active (and a single memory store
/// holding only the active ones), then measures active point reads against the single store,
/// misses (no archive opened), lazy archive opens, archive reads, cross-tier time-range queries
/// and vector searches, and a `migrate()` with the active tier's writes running beside it. One
/// JSON line per phase on stdout (Docs/BENCHMARKS.md, "Tiers"); exits 1 on any wrong answer.
@main
struct TiersBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "strata-tiers", abstract: "Issue 12's tier benchmark.")

    @Option(help: "Messages in the archives (spread evenly over the quarters).")
    var archived = 1_000_000
    @Option(help: "Messages in the active tier (and in the single store).")
    var active = 50_000
    @Option(help: "Archive quarters.")
    var quarters = 8
    @Option(help: "Embedding dimension.")
    var dimension = 16
    @Option(help: "Point reads per read phase.")
    var reads = 100_000
    @Option(help: "Time-range queries and vector searches.")
    var queries = 1_000
    @Option(help: "Messages aged past the active boundary for the migrate phase.")
    var moveMessages = 10_000
    @Option(help: "Writes of the writer alone (the baseline of the writes during the move).")
    var baselineWrites = 2_000
    @Option(help: "Work directory (must not exist or be empty); removed at the end unless --keep.")
    var dir = "/tmp/strata-tiers-bench"
    @Option(help: "Data seed.")
    var seed: UInt64 = 1
    @Flag(help: "CI size (a debug build in under a minute): 800 archived and 400 active messages, 500 reads, 20 queries, 200 moved.")
    var smoke = false
    @Flag(help: "Keep the work directory.")
    var keep = false

    mutating func run() throws {
        if smoke {
            (archived, active, reads, queries, moveMessages, baselineWrites) = (800, 400, 500, 20, 200, 50)
        }
        guard archived >= quarters * 2, active >= 2, quarters >= 1, dimension >= 2, reads >= 1, queries >= 1 else {
            throw ValidationError("sizes too small")
        }
        let manager = FileManager.default
        if let entries = try? manager.contentsOfDirectory(atPath: dir), !entries.isEmpty {
            throw ValidationError("\(dir) exists and is not empty")
        }
        try manager.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if !keep { try? manager.removeItem(atPath: dir) } }

        let output = ResultWriter(settings: [
            "archived": archived, "active": active, "quarters": quarters, "dim": dimension, "seed": seed, "smoke": smoke,
        ])
        var build = TiersBuild(
            directory: dir, archived: archived, active: active, quarters: TiersDataset.archiveQuarters(quarters),
            dataset: TiersDataset(dimension: dimension, seed: seed))
        note("building \(archived) archived messages over \(build.quarters.map(\.name).joined(separator: ", ")) and \(active) active")
        let built = try build.run()
        output.line("build", [
            "n": built.moved, "batches": built.batches,
            "archive_s": Latencies.rounded(built.archiveWall), "archive_cpu_s": Latencies.rounded(built.archiveCPU),
            "active_s": Latencies.rounded(built.activeWall), "active_cpu_s": Latencies.rounded(built.activeCPU),
            "records_per_s": Latencies.rounded(Double(built.moved) / built.archiveWall),
        ])
        var phases = TiersPhases(
            build: build, built: built, reads: reads, queries: queries, moveMessages: moveMessages, output: output,
            dataset: TiersDataset(dimension: dimension, seed: seed &+ 1))
        let (tiered, single) = try phases.reopen()
        defer {
            try? tiered.close()
            try? single.close()
        }
        try phases.misses(tiered)
        try phases.lazyOpens(tiered)
        try phases.activeReads(tiered, single)
        try phases.archiveReads(tiered)
        try phases.timeRanges(tiered)
        try phases.vectorSearches(tiered, single)
        try TiersMovePhase(messages: moveMessages, baselineWrites: baselineWrites, output: output).run(tiered, dataset: &phases.dataset)
        let statistics = try tiered.statistics()
        output.line("tiers", [
            "tiers": statistics.tiers.map { ["tier": $0.tier.name, "records": $0.count] },
            "tier_opens": statistics.tierOpens, "open_tiers": statistics.openTiers.count,
        ])
        note("done")
    }
}
