import ArgumentParser
import Foundation
import StrataEngine
import StrataRandom

/// `strata demo`: builds a sample agent-memory store, reopens it, queries it and reports.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a sample agent-memory database, reopen it, query it and report timings.",
        discussion: """
            Writes conversations, timestamped messages, entities, message->entity edges and a few \
            hundred 1536-dimension Float32 embeddings (6 KiB values) into the trees `nodes`, \
            `edges` and `embeddings`, in atomic batches. Then closes, reopens (timing the open), \
            reads keys, range-scans one conversation in time order, prefix-scans the edges of a \
            message, counts, prints statistics and runs verify(). Every key is a TupleKey \
            (("msg", conversation, time, id), ("out", message, "mentions", entity), …); \
            `strata scan DIR nodes --tuples` prints them decoded. Without --dir it works in a new \
            temporary directory, removed at the end unless --keep is given; a --dir is always kept.
            """)

    @Option(help: "Directory for the database (must not exist or be empty). Default: a new temporary directory.")
    var dir: String?

    @Option(help: "How many messages to write.")
    var messages = 100_000

    @Option(help: "How many messages get an embedding.")
    var embeddings = 300

    @Option(help: "Messages per atomic batch.")
    var batch = 1_000

    @Option(help: "Seed of the data generator.")
    var seed: UInt64 = 42

    @Flag(help: "Keep the temporary directory (its path is printed).")
    var keep = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard messages >= 1 else { throw ValidationError("--messages must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard embeddings >= 0 else { throw ValidationError("--embeddings must not be negative") }
    }

    func run() throws {
        let directory = try prepareDirectory()
        let removeAtEnd = dir == nil && !keep
        defer { if removeAtEnd { try? FileManager.default.removeItem(atPath: directory) } }
        var configuration = global.configuration()
        configuration.flushInterval = .milliseconds(100)
        var report = DemoReport(directory: directory)

        // 1. Build.
        let (database, openNew) = try Measurement.time { try Database.open(at: directory, configuration: configuration) }
        report.step("create database", openNew)
        let (trees, treeTime) = try Measurement.time {
            (nodes: try database.tree("nodes"), edges: try database.tree("edges"), embeddings: try database.tree("embeddings"))
        }
        report.step("create 3 trees", treeTime)
        var built = try write(into: database, trees)
        report.step(
            "write \(messages) messages in \(built.batches) batches", built.milliseconds,
            rate: Double(messages) / built.milliseconds * 1000, unit: "messages/s")
        let (_, flushTime) = try Measurement.time { try database.flush() }
        report.step("flush (fsync the WAL)", flushTime)
        let (_, closeTime) = try Measurement.time { try database.close() }
        report.step("close (checkpoint)", closeTime)

        // 2. Reopen and query.
        let (reopened, openTime) = try Measurement.time { try Database.open(at: directory, configuration: configuration) }
        report.step("reopen", openTime)
        defer { try? reopened.close() }
        let nodes = try reopened.requireTree("nodes")
        let edges = try reopened.requireTree("edges")
        let vectors = try reopened.requireTree("embeddings")

        var random = SplitMix64(seed: seed ^ 0x5EED)
        let sample = (0..<min(1_000, built.messageKeys.count)).map { _ in built.messageKeys.randomElement(using: &random)! }
        let (found, getTime) = try Measurement.time { try sample.filter { try nodes.get($0) != nil }.count }
        guard found == sample.count else {
            throw CommandFailure("demo: \(sample.count - found) of \(sample.count) written messages were not found after reopen")
        }
        report.step(
            "get \(sample.count) random messages by key", getTime,
            note: String(format: "%.1f µs each", getTime * 1000 / Double(max(sample.count, 1))))

        let busiest = built.messagesPerConversation.max { $0.value < $1.value }!.key
        let (conversation, scanTime) = try Measurement.time { () throws -> (count: Int, ordered: Bool) in
            var cursor = try nodes.scan(prefix: DemoDataset.messagePrefix(busiest))
            var previous = Date.distantPast
            var count = 0
            var ordered = true
            while let entry = try cursor.next() {
                let sentAt = try DemoDataset.sentAt(ofMessageKey: entry.key)
                if sentAt < previous { ordered = false }
                previous = sentAt
                count += 1
            }
            return (count, ordered)
        }
        guard conversation.ordered, conversation.count == built.messagesPerConversation[busiest] else {
            throw CommandFailure("demo: conversation \(busiest) scanned \(conversation.count) messages out of time order or count")
        }
        report.step(
            "range-scan conversation \(busiest) in time order", scanTime,
            note: "\(conversation.count) messages")
        let (latest, latestTime) = try Measurement.time {
            var cursor = try nodes.scan(prefix: DemoDataset.messagePrefix(busiest), reverse: true)
            return try cursor.collect(limit: 10).map(\.key)
        }
        report.step("latest \(latest.count) messages of it (reverse scan)", latestTime)
        if let newest = latest.first { report.sampleKeys.append(("nodes", newest)) }

        let linked = built.messageWithMostEdges
        let (edgeKeys, edgeTime) = try Measurement.time {
            var cursor = try edges.scan(prefix: DemoDataset.edgePrefix(of: linked))
            return try cursor.collect().map(\.key)
        }
        report.step("prefix-scan the edges of one message", edgeTime, note: "\(edgeKeys.count) entities")
        if let edge = edgeKeys.first { report.sampleKeys.append(("edges", edge)) }

        let (vectorOK, vectorTime) = try Measurement.time { () throws -> Bool in
            guard let key = built.embeddingKeys.first, let bytes = try vectors.get(key) else { return built.embeddingKeys.isEmpty }
            return bytes.count == DemoDataset.dimensions * 4
        }
        guard vectorOK else { throw CommandFailure("demo: an embedding did not read back as 6144 bytes") }
        report.step("get one 6 KiB embedding", vectorTime)

        let (counts, countTime) = try Measurement.time {
            (try nodes.count, try edges.count, try vectors.count)
        }
        report.step("count keys of 3 trees", countTime)
        report.counts = [
            ("conversations", built.conversations), ("messages", messages), ("entities", built.entities),
            ("edges", counts.1), ("embeddings", counts.2), ("nodes (tree)", counts.0),
        ]

        let (statistics, statisticsTime) = try Measurement.time { try reopened.statistics() }
        report.step("statistics", statisticsTime)
        let (verification, verifyTime) = try Measurement.time { try reopened.verify() }
        report.step("verify (read and check every page)", verifyTime, note: "\(verification.pages) pages")
        try reopened.close()
        built.messageKeys = []

        report.statistics = statistics
        report.disk = Measurement.directorySize(directory)
        print(report.render())
        if removeAtEnd {
            print("\nThe database was in a temporary directory, now removed (use --keep to keep it).")
        } else {
            print("\nThe database is in \(directory). Try: strata stats \(directory)")
            print("or: strata scan \(directory) nodes --tuples --limit 5")
        }
    }

    /// What writing produced, for the queries that follow.
    struct Built {
        var milliseconds = 0.0
        var batches = 0
        var messageKeys: [[UInt8]] = []
        var messagesPerConversation: [Int: Int] = [:]
        var messageWithMostEdges = TupleKey()
        var embeddingKeys: [[UInt8]] = []
        var conversations = 0
        var entities = 0
    }

    private func write(
        into database: Database, _ trees: (nodes: Tree, edges: Tree, embeddings: Tree)
    ) throws -> Built {
        var dataset = DemoDataset(messages: messages, embeddings: embeddings, seed: seed)
        var built = Built()
        built.messageKeys.reserveCapacity(messages)
        var mostEdges = -1
        let start = ContinuousClock.now
        var done = false
        while !done {
            try database.write { tx in
                for _ in 0..<batch {
                    guard let message = dataset.next() else {
                        done = true
                        return
                    }
                    if let chat = message.chat {
                        try tx.insert(chat.value, forKey: chat.key, in: trees.nodes)
                        built.conversations += 1
                    }
                    for entity in message.newEntities { try tx.insert(entity.value, forKey: entity.key, in: trees.nodes) }
                    built.entities += message.newEntities.count
                    try tx.insert(message.value, forKey: message.key.bytes, in: trees.nodes)
                    for edge in message.edges { try tx.insert(edge.value, forKey: edge.key, in: trees.edges) }
                    if let embedding = message.embedding {
                        try tx.insert(embedding, forKey: message.key.bytes, in: trees.embeddings)
                        built.embeddingKeys.append(message.key.bytes)
                    }
                    if message.edges.count > mostEdges {
                        mostEdges = message.edges.count
                        built.messageWithMostEdges = message.key
                    }
                    built.messageKeys.append(message.key.bytes)
                    built.messagesPerConversation[message.conversation, default: 0] += 1
                }
            }
            built.batches += 1
            Console.progress("writing: \(built.messageKeys.count) / \(messages) messages")
            if built.messageKeys.count == messages { done = true }
        }
        Console.endProgress()
        built.milliseconds = Measurement.milliseconds(ContinuousClock.now - start)
        return built
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
