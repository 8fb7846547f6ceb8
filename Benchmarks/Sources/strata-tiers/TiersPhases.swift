import Foundation
import StrataEngine
import StrataGraph
import StrataTiers

/// The measurements on the built stores, each printing its JSON line(s).
struct TiersPhases {
    let build: TiersBuild
    let built: TiersBuild.Built
    let reads: Int
    let queries: Int
    let moveMessages: Int
    let output: ResultWriter
    var dataset: TiersDataset

    /// The tiered store and the single store, reopened (timed) after the build.
    func reopen() throws -> (TieredMemoryStore, MemoryStore) {
        let tiered = try measure {
            try TieredMemoryStore.open(at: build.tieredPath, configuration: TiersBuild.tieredConfiguration(quarters: build.quarters.count))
        }
        let single = try measure { try MemoryStore.open(at: build.singlePath, configuration: TiersBuild.singleConfiguration()) }
        output.line("open", [
            "tiered_ms": Latencies.rounded(tiered.wall * 1000), "single_ms": Latencies.rounded(single.wall * 1000),
            "tiered_cpu_ms": Latencies.rounded(tiered.cpu * 1000), "single_cpu_ms": Latencies.rounded(single.cpu * 1000),
        ])
        return (tiered.result, single.result)
    }

    /// (b) Point reads of ids no tier holds: every one nil, and no archive opened.
    mutating func misses(_ tiered: TieredMemoryStore) throws {
        let before = try tiered.statistics()
        guard before.openTiers.isEmpty else { throw BenchFailure("tiers open before the miss phase: \(before.openTiers)") }
        var latencies = Latencies()
        for _ in 0..<reads {
            let id = dataset.id(at: TiersDataset.now.addingTimeInterval(-dataset.unit() * 900 * 86_400))
            if try latencies.time({ try tiered.node(id, hint: .any) }) != nil { throw BenchFailure("a miss found \(id)") }
        }
        let after = try tiered.statistics()
        let opens = after.tierOpens - before.tierOpens
        output.line("miss", latencies.fields.merging(["archive_opens": opens, "open_tiers": after.openTiers.count]) { $1 })
        guard opens == 0 else { throw BenchFailure("\(opens) archive opens while answering misses") }
    }

    /// (e) The first read of each archive tier (which opens it) beside a second, warm one.
    func lazyOpens(_ tiered: TieredMemoryStore) throws {
        var first = Latencies(), warm = Latencies()
        for tier in build.quarters {
            let samples = built.archiveSamples[tier] ?? []
            guard samples.count >= 2 else { continue }
            let opensBefore = try tiered.statistics().tierOpens
            guard try first.time({ try tiered.node(samples[0]) }) != nil else { throw BenchFailure("\(samples[0]) missing in \(tier)") }
            guard try tiered.statistics().tierOpens == opensBefore + 1 else { throw BenchFailure("reading \(tier) did not open it once") }
            guard try warm.time({ try tiered.node(samples[1]) }) != nil else { throw BenchFailure("\(samples[1]) missing in \(tier)") }
        }
        output.line("lazy_open", first.fields.merging(["warm_p50_us": Latencies.rounded(Latencies.percentile(warm.wall, 0.5))]) { $1 })
    }

    /// (a) The same active point reads on the tiered store (hint `.any`: the catalog, then
    /// active) and on the single store, interleaved in blocks of 1,000 after a warm-up pass.
    mutating func activeReads(_ tiered: TieredMemoryStore, _ single: MemoryStore) throws {
        let ids = built.activeMessages
        for id in ids {
            guard try tiered.node(id) != nil, try single.node(id) != nil else { throw BenchFailure("warm-up: \(id) missing") }
        }
        var onTiered = Latencies(), onSingle = Latencies(), onTieredActiveHint = Latencies()
        var done = 0
        while done < reads {
            let block = (0..<min(1000, reads - done)).map { _ in ids[Int(dataset.unit() * Double(ids.count))] }
            for id in block where try onTiered.time({ try tiered.node(id, hint: .any) }) == nil { throw BenchFailure("\(id) missing") }
            for id in block where try onSingle.time({ try single.node(id) }) == nil { throw BenchFailure("\(id) missing") }
            for id in block where try onTieredActiveHint.time({ try tiered.node(id, hint: .active) }) == nil {
                throw BenchFailure("\(id) missing")
            }
            done += block.count
        }
        output.line("active_read_tiered", onTiered.fields.merging(["hint": "any"]) { $1 })
        output.line("active_read_tiered_hint_active", onTieredActiveHint.fields.merging(["hint": "active"]) { $1 })
        output.line("active_read_single", onSingle.fields)
        func ratio(_ a: [Double], _ b: [Double], _ q: Double) -> Double {
            Latencies.rounded(Latencies.percentile(a, q) / max(Latencies.percentile(b, q), 0.001))
        }
        output.line("active_read_ratio", [
            "n": reads, "p50_ratio": ratio(onTiered.wall, onSingle.wall, 0.5), "p99_ratio": ratio(onTiered.wall, onSingle.wall, 0.99),
            "cpu_p50_ratio": ratio(onTiered.cpu, onSingle.cpu, 0.5), "cpu_p99_ratio": ratio(onTiered.cpu, onSingle.cpu, 0.99),
        ])
    }

    /// Warm point reads of archived messages (the catalog names the tier, already open).
    mutating func archiveReads(_ tiered: TieredMemoryStore) throws {
        let ids = build.quarters.flatMap { built.archiveSamples[$0] ?? [] }
        guard !ids.isEmpty else { return }
        var latencies = Latencies()
        for _ in 0..<reads {
            let id = ids[Int(dataset.unit() * Double(ids.count))]
            if try latencies.time({ try tiered.node(id) }) == nil { throw BenchFailure("\(id) missing") }
        }
        output.line("archive_read", latencies.fields)
    }

    /// (c) Time-range queries spanning tiers: a random start in an archive quarter and a span
    /// of 30 to 400 days, one namespace's messages in time order, at most 100.
    mutating func timeRanges(_ tiered: TieredMemoryStore) throws {
        let oldest = build.quarters.first!.quarterRange!.lowerBound
        let length = TiersDataset.now.timeIntervalSince(oldest)
        var latencies = Latencies()
        var spanned = 0, found = 0
        let summaries = try tiered.tiers()
        for _ in 0..<queries {
            let start = oldest.addingTimeInterval(dataset.unit() * length * 0.9)
            let end = min(start.addingTimeInterval((30 + dataset.unit() * 370) * 86_400), TiersDataset.now)
            let range = start..<end
            let namespace = TiersDataset.namespaces[Int(dataset.unit() * Double(TiersDataset.namespaces.count))]
            let nodes = try latencies.time { try tiered.nodes(in: namespace, kind: .message, createdIn: range, limit: 100) }
            guard nodes.allSatisfy({ range.contains($0.createdAt) }) else { throw BenchFailure("a node outside \(range)") }
            found += nodes.count
            spanned += summaries.filter { summary in
                guard let span = summary.createdRange else { return summary.tier == .active }
                return span.lowerBound < end && start <= span.upperBound
            }.count
        }
        output.line("time_range", latencies.fields.merging([
            "limit": 100, "mean_results": Latencies.rounded(Double(found) / Double(max(queries, 1))),
            "mean_archive_tiers": Latencies.rounded(Double(spanned) / Double(max(queries, 1))),
        ]) { $1 })
    }

    /// (d) k = 10 nearest messages of one namespace across every tier, beside the same search
    /// on the single store (active data only).
    mutating func vectorSearches(_ tiered: TieredMemoryStore, _ single: MemoryStore) throws {
        var onTiered = Latencies(), onSingle = Latencies()
        var tiersSearched = 0
        let reader = try single.reader()
        for _ in 0..<queries {
            let query = dataset.query()
            let namespace = TiersDataset.namespaces[Int(dataset.unit() * Double(TiersDataset.namespaces.count))]
            let result = try onTiered.time { try tiered.nearest(to: query, k: 10, in: dataset.space.name, namespace: namespace) }
            guard result.hits.count == 10 else { throw BenchFailure("vector search found \(result.hits.count) of 10") }
            let local = try onSingle.time { try reader.nearest(to: query, k: 10, in: dataset.space.name, namespace: namespace) }
            guard local.hits.count == 10 else { throw BenchFailure("single-store search found \(local.hits.count) of 10") }
            tiersSearched = try tiered.tiers().count
        }
        output.line("vector_search_tiered", onTiered.fields.merging(["k": 10, "tiers": tiersSearched, "dim": dataset.dimension]) { $1 })
        output.line("vector_search_single", onSingle.fields.merging(["k": 10, "dim": dataset.dimension]) { $1 })
    }
}
