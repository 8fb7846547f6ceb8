import ArgumentParser
import BenchCore
import Foundation
import MW1Core
import MW1SQLite

/// `mw1`: replays an MW1 dataset (shared/bench/MEMORY-WORKLOAD.md) against one store, checks
/// every answer, and prints one JSON line per phase on standard output.
@main
struct MW1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mw1",
        abstract: "Run the MW1 agent-memory workload against one store and check every answer.",
        discussion: """
            Prints one JSON line per phase on standard output and nothing else (progress goes to \
            standard error). Exit status: 0 when every answer is right and no removed record comes \
            back; 1 when any answer is wrong, any violation occurs, or (with --min-recall) a vector \
            phase's recall is below the floor; 2 when the store is not in this build or sqlite-vec \
            does not load; 3 when the dataset does not load; 4 when the store fails.
            """
    )

    @Option(help: "The store: \(StoreCatalog.names.joined(separator: " or ")).")
    var store: String

    @Option(help: "The dataset directory (made by mw1_generate.py).")
    var dataset: String

    @Option(help: "Where the store's files go (emptied first, removed afterwards unless --keep). Default: /tmp/mw1-STORE.")
    var work: String?

    @Option(help: "Comma-separated phases to run after the ingest (default all): \(MW1Phase.allCases.filter { $0 != .ingest }.map(\.rawValue).joined(separator: ",")). forget, expire and recheck run together.")
    var phases: String?

    @Flag(help: "Keep the store's files afterwards.")
    var keep = false

    @Option(help: "sqlite-vec's loadable extension, for --store sqlite-vec (default: $\(StoreCatalog.sqliteVecVariable)).")
    var sqliteVec: String?

    @Option(help: "Fail the run (exit 1) when a vector phase's recall@k, or the recheck's, is below this (0...1).")
    var minRecall: Double?

    @Option(help: "The HNSW search breadth (ef) of --store strata (default: the index's own).")
    var ef: Int?

    func validate() throws {
        if let minRecall, !(0...1).contains(minRecall) { throw ValidationError("--min-recall must be in 0...1, not \(minRecall)") }
        if let ef, ef < 1 { throw ValidationError("--ef must be at least 1, not \(ef)") }
    }

    func run() throws {
        var selected = Set(MW1Phase.allCases)
        if let phases {
            selected = [.ingest]
            for name in phases.split(separator: ",") {
                guard let phase = MW1Phase(rawValue: String(name)) else {
                    throw ValidationError("unknown phase \(name); phases are \(MW1Phase.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                selected.insert(phase)
            }
        }
        let directory = work ?? "/tmp/mw1-\(store)"
        let instance: any MW1Store
        do {
            try DiskUsage.freshDirectory(directory)
            let options = StoreCatalog.Options(
                sqliteVecPath: sqliteVec ?? ProcessInfo.processInfo.environment[StoreCatalog.sqliteVecVariable], ef: ef)
            instance = try StoreCatalog.make(store, directory: directory, options: options)
            if let sqlite = instance as? SQLiteMW1Store, case .sqliteVec(let path) = sqlite.vectorSearch {
                progress("mw1: sqlite-vec \(sqlite.sqliteVecVersion ?? "?") loaded from \(path)")
            }
        } catch let error as StoreCatalog.Unavailable {
            progress("mw1: \(error)")
            try? DiskUsage.remove(directory)
            throw ExitCode(2)
        } catch {
            progress("mw1: \(store) does not open in \(directory): \(error)")
            throw ExitCode(4)
        }
        let loaded: MW1Dataset
        do {
            let t0 = MonotonicClock.now()
            loaded = try MW1Dataset.load(directory: dataset)
            progress("mw1: loaded \(loaded.manifest.name) (\(loaded.transactions.count) transactions, \(loaded.queries.count) queries) in \(Double(MonotonicClock.now() - t0) / 1e9) s")
        } catch {
            progress("mw1: the dataset does not load: \(error)")
            try? instance.close()
            try? DiskUsage.remove(directory)
            throw ExitCode(3)
        }
        let runner = MW1Runner(
            dataset: loaded, store: instance, phases: selected,
            emit: { line in FileHandle.standardOutput.write(Data((line.jsonLine + "\n").utf8)) },
            log: progress)
        let summary: MW1Summary
        do {
            summary = try runner.run()
            try instance.close()
        } catch {
            progress("mw1: \(store) failed: \(error)")
            throw ExitCode(4)
        }
        if !keep { try? DiskUsage.remove(directory) }
        progress("mw1: \(store) on \(loaded.manifest.name): \(summary.wrong) wrong, \(summary.violations) violations")
        if let minRecall {
            for line in summary.lines(belowRecall: minRecall) {
                progress("mw1: \(store) \(line.phase.rawValue): recall \(line.recall ?? 0) is below --min-recall \(minRecall)")
            }
        }
        if !summary.passed(minimumRecall: minRecall) { throw ExitCode(1) }
    }
}

/// Writes a progress line to standard error.
func progress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
