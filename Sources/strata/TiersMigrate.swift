import ArgumentParser
import Foundation
import StrataEngine
import StrataGraph
import StrataTiers

/// `strata tiers migrate DIR [--dry-run]`: moves what is due by age, a progress line per batch.
struct TiersMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move records due by age to their tier (active → recent → archive of their quarter), in journaled batches.")

    @Argument(help: "The tiered store's root directory.")
    var directory: String

    @Flag(help: "List the batches that would move; change nothing.")
    var dryRun = false

    @Option(help: "Most batches to run.")
    var maxBatches = Int.max

    func run() throws {
        try Tiers.withStore(directory) { store in
            if store.recoveredMoves > 0 { print("recovered \(store.recoveredMoves) unfinished move batch(es) at open") }
            if dryRun {
                let planned = try store.plannedMoves(limit: maxBatches)
                for batch in planned { print("would move \(batch.ids.count) records \(batch.source) → \(batch.target)") }
                print("\(planned.count) batch(es), \(planned.reduce(0) { $0 + $1.ids.count }) records due")
                return
            }
            let result = try store.migrate(maxBatches: maxBatches) { progress in
                print("batch \(progress.batches): \(progress.records) records moved so far")
            }
            print("moved \(result.records) records in \(result.batches) batch(es)\(result.remaining ? "; more are due" : "")")
        }
    }
}

/// `strata tiers compact DIR`: engine compaction of the cold (non-active) tiers.
struct TiersCompact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact", abstract: "Checkpoint each non-active tier until segment GC has nothing left to collect.")

    @Argument(help: "The tiered store's root directory.")
    var directory: String

    func run() throws {
        let results = try Tiers.withStore(directory) { try $0.compactColdTiers() }
        for result in results {
            print("\(result.tier.name)\t\(result.checkpoints) checkpoints\t\(result.segmentsCollected) segments collected")
        }
        if results.isEmpty { print("no cold tiers") }
    }
}
