import ArgumentParser
import Foundation
import StrataEngine
import StrataGraph
import StrataTiers

/// `strata tiers`: commands for a tiered memory store (a root holding `active/`, `recent/`, `archive/YYYY-Qn/`).
struct Tiers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect a tiered StrataTiers memory store.",
        subcommands: [TiersStatus.self, TiersRetrieve.self, TiersStats.self, TiersMigrate.self, TiersCompact.self])

    /// Opens the tiered store in `root` (which must exist), runs `body` and closes it.
    static func withStore<T>(_ root: String, _ body: (TieredMemoryStore) throws -> T) throws -> T {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root + "/active", isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StrataError(.notADatabase, "\(root) is not a tiered store (it has no active/ directory)")
        }
        let store = try TieredMemoryStore.open(at: root)
        defer { try? store.close() }
        return try body(store)
    }

    /// The running move and the background worker's state (this command's own process runs no
    /// worker: an application's store reports it through `statistics()`).
    static func backgroundLines(_ statistics: TieredStatistics) -> [String] {
        var lines: [String] = []
        if let move = statistics.runningMove {
            lines.append("running move: batch \(move.batch) \(move.source.name) -> \(move.target.name), \(move.records) records, step \(move.step ?? "planned"), \(move.recordsDone) records moved before it")
        }
        guard let background = statistics.background else {
            lines.append("background: not running (an application turns it on with backgroundSync)")
            return lines
        }
        let error = background.lastError.map { ", last error: \($0)" } ?? ""
        lines.append("background: \(background.running ? "running" : "stopped"), \(background.passes) passes, \(background.items) records moved, \(background.errors) errors\(error)")
        return lines
    }

    /// One line per tier: name, records, date span, open or closed.
    static func lines(_ statistics: TieredStatistics) -> [String] {
        statistics.tiers.map { summary in
            let span = summary.createdRange.map { "\($0.lowerBound.formatted(.iso8601)) … \($0.upperBound.formatted(.iso8601))" } ?? "-"
            let state = summary.tier == .active || statistics.openTiers.contains(summary.tier) ? "open" : "closed"
            return "\(summary.tier.name)\t\(summary.count) records\t\(span)\t\(state)"
        }
    }
}

/// `strata tiers status DIR`: records and date span per tier, open or closed.
struct TiersStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "List each tier with its record count, date span and whether it is open.")

    @Argument(help: "The tiered store's root directory.")
    var directory: String

    func run() throws {
        let (statistics, due) = try Tiers.withStore(directory) { (try $0.statistics(), try $0.plannedMoves()) }
        for line in Tiers.lines(statistics) { print(line) }
        print("moves pending: \(statistics.pendingMoves)\(statistics.recoveredMoves > 0 ? " (recovered at open: \(statistics.recoveredMoves))" : "")")
        print("moves due: \(due.reduce(0) { $0 + $1.ids.count }) records in \(due.count) batches")
        for line in Tiers.backgroundLines(statistics) { print(line) }
    }
}

/// `strata tiers retrieve DIR ID`: a record from whatever tier holds it.
struct TiersRetrieve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieve", abstract: "Print a record from whichever tier the catalog places it in.")

    @Argument(help: "The tiered store's root directory.")
    var directory: String

    @Argument(help: "The node id.")
    var id: String

    func run() throws {
        let nodeID = NodeID(id)
        let found = try Tiers.withStore(directory) { store -> (Tier, Node?) in
            (try store.tier(of: nodeID), try store.node(nodeID))
        }
        guard let node = found.1 else { throw CommandFailure("no record \(id) in any tier") }
        print("tier: \(found.0.name)")
        print(node)
    }
}

/// `strata tiers stats DIR --json`: the tiers and the tier pool's counters.
struct TiersStats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Print the tiers and how many tier opens the command made.")

    @Argument(help: "The tiered store's root directory.")
    var directory: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let statistics = try Tiers.withStore(directory) { try $0.statistics() }
        guard json else {
            for line in Tiers.lines(statistics) { print(line) }
            return
        }
        let tiers: [[String: Any]] = statistics.tiers.map { summary in
            var row: [String: Any] = ["tier": summary.tier.name, "records": summary.count]
            if let range = summary.createdRange {
                row["earliest"] = range.lowerBound.formatted(.iso8601)
                row["latest"] = range.upperBound.formatted(.iso8601)
            }
            return row
        }
        let object: [String: Any] = [
            "tiers": tiers, "openTiers": statistics.openTiers.map(\.name), "tierOpens": statistics.tierOpens,
            "tierCloses": statistics.tierCloses, "pendingMoves": statistics.pendingMoves,
            "recoveredMoves": statistics.recoveredMoves,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
