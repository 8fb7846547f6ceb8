import Foundation
import StrataEngine
import StrataGraph
import StrataRandom
import StrataTiers

/// The demo's tiers part: a ``TieredMemoryStore`` in its own directory, with conversations whose
/// created times span two years before an injected "now"; `migrate()` ages them into `recent` and
/// one archive per quarter; the store is reopened (every archive closed) and queried across the
/// tiers: a point read from an archive (opening only that tier), a miss (opening none), a
/// time-range query spanning tiers, and a vector search merging every tier's top k.
struct DemoTiers {
    let directory: String
    let conversations: Int
    let seed: UInt64

    /// The demo's "now" for the tiers: the clock every tier reads (an injected clock, so the ages
    /// are the same on every run).
    static let now = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 00:00 UTC
    static let messagesPerConversation = 8
    static let details = ["dates", "prices", "luggage", "tickets", "weather", "food", "insurance", "transfers"]

    func run() throws {
        print("\nTiers: conversations over two years, aged into recent/ and archive/YYYY-Qn/, in \(directory)")
        let configuration = TieredMemoryStore.Configuration(maxOpenTiers: 4, clock: { Self.now })
        var report = DemoReport()
        let space = EmbeddingSpace(name: DemoEmbedding.spaceName, model: DemoEmbedding.model, dimension: DemoEmbedding.dimension, metric: .cosine)
        let (store, openTime) = try Measurement.time { try TieredMemoryStore.open(at: directory, configuration: configuration) }
        report.step("open the tiered store (active/ only)", openTime)
        try store.active.define(space)
        var random = SplitMix64(seed: seed)
        var archivedSample: Node?
        let (written, insertTime) = try Measurement.time { () throws -> Int in
            var count = 0
            for index in 0..<conversations {
                // Spread from 2 years ago to now; the last few inside the active window.
                let age = Double(conversations - 1 - index) / Double(max(conversations - 1, 1)) * 730 * 86_400
                let start = Self.now.addingTimeInterval(-age - 3600)
                let place = DemoCoordinator.places[Int(random.next() % UInt64(DemoCoordinator.places.count))]
                let topic = DemoCoordinator.topics[Int(random.next() % UInt64(DemoCoordinator.topics.count))]
                try store.active.write { graph in
                    let chat = try graph.insert(Node(namespace: "demo", createdAt: start, .conversation(Conversation(title: "\(topic) in \(place)"))))
                    for turn in 0..<Self.messagesPerConversation {
                        let detail = Self.details[Int(random.next() % UInt64(Self.details.count))]
                        let text = turn == 0 ? "Question about \(topic) in \(place)" : turn % 2 == 0 ? "And the \(detail)?" : "Noted: \(detail) for the \(topic.lowercased()), part \(turn / 2 + 1)"
                        let message = try graph.insert(Node(
                            namespace: "demo", createdAt: start.addingTimeInterval(Double(turn) * 60),
                            .message(Message(conversation: chat.id, role: turn % 2 == 0 ? .user : .assistant, text: text))))
                        try graph.setVector(DemoEmbedding.vector(of: text), for: message.id, in: space.name)
                        if index == conversations / 4, turn == 0 { archivedSample = message }
                        count += 1
                    }
                }
            }
            return count
        }
        report.step("insert \(conversations) conversations, \(written) messages with vectors, into active", insertTime,
                    note: "created over the 2 years before \(DemoReport.time(Self.now))")
        let due = try store.plannedMoves().reduce(0) { $0 + $1.ids.count }
        let (progress, migrateTime) = try Measurement.time { try store.migrate() }
        report.step("migrate(): age them into recent/ and archive/", migrateTime,
                    note: String(format: "%d of %d due records moved in %d batches (%.0f records/s)", progress.records, due, progress.batches,
                                 Double(progress.records) / migrateTime * 1000))
        try store.close()
        report.printSteps("Tiers: build and age")

        let (reopened, reopenTime) = try Measurement.time { try TieredMemoryStore.open(at: directory, configuration: configuration) }
        defer { try? reopened.close() }
        printStatus(try reopened.statistics(), title: "Tiers after the reopen  [open \(Measurement.duration(reopenTime))]")
        try query(reopened, sample: archivedSample)
        printStatus(try reopened.statistics(), title: "Tiers after the queries")
    }

    private func query(_ store: TieredMemoryStore, sample: Node?) throws {
        let report = DemoReport()
        if let sample {
            let opens = try store.statistics().tierOpens
            let (found, coldTime) = try Measurement.time { try store.node(sample.id) }
            let tier = try store.tier(of: sample.id)
            let (_, warmTime) = try Measurement.time { try store.node(sample.id) }
            report.section("Point read of an archived message (the catalog names its tier)", coldTime, [
                found.map { "\(tier): " + DemoReport.describe($0) + " (created \(DemoReport.time($0.createdAt)))" } ?? "missing!",
                "tiers opened: \(try store.statistics().tierOpens - opens) (lazily, for this read); the same read again: \(Measurement.duration(warmTime))",
            ])
        }
        let opens = try store.statistics().tierOpens
        let (missing, missTime) = try Measurement.time { try store.node(NodeID("no-such-message")) }
        report.section("Point read of an id no tier holds", missTime, [
            missing == nil ? "not found; tiers opened: \(try store.statistics().tierOpens - opens) (the catalog answers)" : "found?!",
        ])

        let range = Self.now.addingTimeInterval(-240 * 86_400)..<Self.now
        let (window, rangeTime) = try Measurement.time { try store.nodes(in: "demo", kind: .message, createdIn: range, limit: 1000) }
        var perTier: [Tier: Int] = [:]
        for node in window { perTier[try store.tier(of: node.id), default: 0] += 1 }
        report.section("Messages created in the last 240 days, across tiers", rangeTime, [
            "\(window.count) messages: " + perTier.keys.sorted().map { "\($0) \(perTier[$0]!)" }.joined(separator: ", "),
            "oldest: " + (window.first.map { DemoReport.time($0.createdAt) + " " + DemoReport.describe($0) } ?? "-"),
        ])

        let text = "Question about Hotels in Kyoto"
        let (result, searchTime) = try Measurement.time {
            try store.nearest(to: DemoEmbedding.vector(of: text), k: 5, in: DemoEmbedding.spaceName, namespace: "demo")
        }
        report.section("Nearest 5 messages to \"\(text)\", every tier's top 5 merged", searchTime, try result.hits.map { hit in
            let node = try store.node(hit.id)
            return String(format: "%.3f  ", hit.distance) + "\(try store.tier(of: hit.id))  " + (node.map(DemoReport.describe) ?? "?")
        })
    }

    private func day(_ date: Date) -> String {
        String(DemoReport.time(date).prefix(10))
    }

    private func printStatus(_ statistics: TieredStatistics, title: String) {
        var table = Table("tier", "records", "created", "state")
        table.leftAligned = [0, 2, 3]
        for summary in statistics.tiers {
            let span = summary.createdRange.map { day($0.lowerBound) + " … " + day($0.upperBound) } ?? "-"
            let state = summary.tier == .active || statistics.openTiers.contains(summary.tier) ? "open" : "closed"
            table.add(summary.tier.name, "\(summary.count)", span, state)
        }
        print(title)
        print(table.render())
        print("    tier opens so far: \(statistics.tierOpens), moves pending: \(statistics.pendingMoves)\n")
    }
}
