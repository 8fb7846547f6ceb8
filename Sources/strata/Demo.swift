import ArgumentParser
import Foundation
import StrataEngine
import StrataGraph

/// `strata demo`: builds a sample agent memory with StrataGraph, reopens it, queries it, sweeps
/// what expired, forgets a conversation and proves nothing returns it, and reports with timings.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a sample agent memory (StrataGraph), query it, forget a conversation, and report timings.",
        discussion: """
            Writes namespaces of conversations, messages (system, user, assistant, tool; replies \
            linked to what they answer), entities with MENTIONS edges, memories of the four kinds \
            (some expiring) and a 64-dimension hashed bag-of-words vector for every message and \
            memory (deterministic from --seed; no model, no network), in atomic transactions. Then \
            closes, reopens (timing the open) and shows a conversation window, an entity's \
            mentions, a 2-hop expansion, the top memories by importance, a semantic search \
            and a filtered one through the HNSW index (recall and time against the exact scan), \
            a hybrid query (nearest messages, then their entities), an expiry sweep, and a forget of a conversation followed by every query that \
            could still return it; then the graph verify and the sizes on disk. Last, the DatabaseCoordinator in DIR-coordinator: \
            messages in with their enrichment tasks, the queue run, entities of a message, messages mentioning an entity, the \
            statistics, and the knowledge database deleted and rebuilt from the conversations. Then the tiers in DIR-tiers: \
            conversations over two years aged by migrate() into recent/ and an archive per quarter, the tiers with their \
            records and open/closed state, a point read from an archive (opening only that tier), a miss (opening none), \
            a time-range query and a vector search across the tiers. Every figure is \
            measured on this run. Without --dir it works in a new temporary directory, removed at \
            the end unless --keep is given; a --dir is always kept.
            """)

    @Option(help: "Directory for the database (must not exist or be empty). Default: a new temporary directory.")
    var dir: String?

    @Option(help: "How many messages to write.")
    var messages = 6_000

    @Option(help: "Messages per atomic transaction.")
    var batch = 500

    @Option(help: "Seed of the data generator.")
    var seed: UInt64 = 42

    @Option(help: "How many messages the DatabaseCoordinator part writes and enriches (0 skips it).")
    var coordinatorMessages = 300

    @Option(help: "How many conversations the tiers part writes over two years and ages into archives (0 skips it).")
    var tierConversations = 36

    @Flag(help: "Keep the temporary directory (its path is printed).")
    var keep = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard messages >= 1 else { throw ValidationError("--messages must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard coordinatorMessages >= 0 else { throw ValidationError("--coordinator-messages must be at least 0") }
        guard tierConversations >= 0 else { throw ValidationError("--tier-conversations must be at least 0") }
    }

    func run() throws {
        let directory = try prepareDirectory()
        let removeAtEnd = dir == nil && !keep
        defer { if removeAtEnd { try? FileManager.default.removeItem(atPath: directory) } }
        var engine = global.configuration()
        engine.flushInterval = .milliseconds(100)
        var report = DemoReport()
        print("Strata demo: an agent's memory on StrataGraph, in \(directory)")
        print("\(messages) messages over \(DemoDataset.namespaces.count) namespaces (\(DemoDataset.namespaces.joined(separator: ", "))), seed \(seed)\n")

        // 1. Build, with the clock at the first message; the queries run an hour after the last.
        var dataset = DemoDataset(messages: messages, seed: seed)
        let (store, openNew) = try Measurement.time {
            try MemoryStore.open(at: directory, configuration: .init(engine: engine, clock: { DemoDataset.start }))
        }
        let graphTrees = try store.database.treeNames().filter { $0.hasPrefix("graph.") }.count
        report.step("create the memory store (\(graphTrees) graph trees)", openNew)
        let space = EmbeddingSpace(
            name: DemoEmbedding.spaceName, model: DemoEmbedding.model, dimension: DemoEmbedding.dimension, metric: .cosine)
        let (_, defineTime) = try Measurement.time { try store.define(space) }
        report.step("define embedding space \(space.name) (\(space.dimension) dims, cosine)", defineTime)
        var transactions = 0
        let (_, writeTime) = try Measurement.time {
            while !dataset.isDone {
                try store.write { graph in
                    for _ in 0..<batch where !dataset.isDone { try dataset.writeNext(into: graph) }
                }
                transactions += 1
                Console.progress("writing: \(dataset.tally.messages) / \(messages) messages")
            }
            Console.endProgress()
        }
        let tally = dataset.tally
        let written = tally.conversations + tally.messages + tally.entities + tally.memories.values.reduce(0, +)
        report.step(
            "write \(messages) messages in \(transactions) transactions", writeTime,
            note: String(format: "%.0f messages/s; %d nodes, %d edges, %d vectors with every index entry",
                         Double(messages) / writeTime * 1000, written, tally.mentions + tally.replies, tally.vectors))
        let (_, closeTime) = try Measurement.time { try store.close() }
        report.step("close (checkpoint)", closeTime)

        let now = dataset.clock.addingTimeInterval(3600)
        let (reopened, openTime) = try Measurement.time {
            // Searches walk the HNSW graph unless a filter leaves at most 100 candidates.
            try MemoryStore.open(
                at: directory, configuration: .init(engine: engine, clock: { now }, vectorIndex: VectorIndexConfiguration(exactScanBound: 100)))
        }
        defer { try? reopened.close() }
        report.step("reopen", openTime)
        report.printSteps("Build")
        printCounts(tally)

        // 2. Queries, at `now`; 3. expiry, forget and the proof; 4. verify and sizes.
        let queries = DemoQueries(store: reopened, tally: tally, now: now, report: report)
        try queries.run()
        try reopened.close()
        printSizes(directory)
        if coordinatorMessages > 0 {
            let coordinatorDirectory = directory + "-coordinator"
            defer { if removeAtEnd { try? FileManager.default.removeItem(atPath: coordinatorDirectory) } }
            try DemoCoordinator(directory: coordinatorDirectory, messages: coordinatorMessages, seed: seed).run()
        }
        if tierConversations > 0 {
            let tiersDirectory = directory + "-tiers"
            defer { if removeAtEnd { try? FileManager.default.removeItem(atPath: tiersDirectory) } }
            try DemoTiers(directory: tiersDirectory, conversations: tierConversations, seed: seed).run()
        }
        if removeAtEnd {
            print("\nThe database was in a temporary directory, now removed (use --keep to keep it).")
        } else {
            print("\nThe database is in \(directory). Try: strata graph stats \(directory)")
            print("or: strata scan \(directory) graph.index --tuples --limit 5")
        }
    }

    private func printCounts(_ tally: DemoDataset.Tally) {
        var table = Table("written", "count")
        table.add("conversations", "\(tally.conversations)")
        table.add("messages", "\(tally.messages)")
        table.add("entities", "\(tally.entities)")
        for kind in Memory.Kind.allCases { table.add("\(kind) memories", "\(tally.memories[kind] ?? 0)") }
        table.add("  of which expire", "\(tally.expiring)")
        table.add("MENTIONS edges", "\(tally.mentions)")
        table.add("REPLIES_TO edges", "\(tally.replies)")
        table.add("vectors (bow64)", "\(tally.vectors)")
        print("Written")
        print(table.render())
        print("")
    }

    /// The files' sizes and the graph trees' key counts, read after the close.
    private func printSizes(_ directory: String) {
        let disk = Measurement.directorySize(directory)
        print("Sizes on disk (after the close)")
        print("    \(Measurement.bytes(disk.bytes)) in \(disk.files) files")
        var configuration = Database.Configuration()
        configuration.readOnly = true
        guard let database = try? Database.open(at: directory, configuration: configuration),
            let statistics = try? database.statistics()
        else { return }
        defer { try? database.close() }
        print("    segments \(Measurement.bytes(statistics.segmentBytes)), live \(Measurement.bytes(statistics.liveBytes)); WAL \(Measurement.bytes(statistics.walBytes))")
        var table = Table("tree", "keys")
        for tree in statistics.trees { table.add(tree.name, "\(tree.keys)") }
        print(table.render(indent: "    "))
    }

    /// The directory to build in: `--dir` (absent or empty), or a new temporary one.
    private func prepareDirectory() throws -> String {
        let manager = FileManager.default
        guard let dir else {
            let path = manager.temporaryDirectory.appendingPathComponent("strata-demo-\(UUID().uuidString)").path
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
        if manager.fileExists(atPath: dir) {
            let entries = (try? manager.contentsOfDirectory(atPath: dir)) ?? ["?"]
            guard entries.isEmpty else {
                throw CommandFailure("\(dir) already exists and is not empty; the demo needs a new directory")
            }
        }
        return dir
    }
}
