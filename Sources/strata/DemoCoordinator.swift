import Foundation
import StrataEngine
import StrataGraph
import StrataRandom
import StrataTiers

/// The demo's last part: seed 000's DatabaseCoordinator (conversations + knowledge, each
/// tiered) with the persistent enrichment queue, in its own directory: messages in (tasks
/// queued in their transactions), enrichment run through a hashed bag-of-words "model" and a
/// capitalised-word "extractor", entities of a message, messages mentioning an entity, the
/// statistics, and the knowledge directory deleted and rebuilt from the source.
struct DemoCoordinator {
    let directory: String
    let messages: Int
    let seed: UInt64

    /// The demo's embedding model: ``DemoEmbedding``.
    struct Embedder: EmbeddingModel {
        var space: EmbeddingSpace {
            EmbeddingSpace(name: DemoEmbedding.spaceName, model: DemoEmbedding.model, dimension: DemoEmbedding.dimension, metric: .cosine)
        }
        func embed(_ text: String) throws -> [Float] { DemoEmbedding.vector(of: text) }
    }

    /// The demo's entity extractor: capitalised words that are not the first of the text.
    struct Extractor: EntityExtractor {
        func entities(in text: String) throws -> [ExtractedEntity] {
            text.split(separator: " ").dropFirst().compactMap { word in
                let name = String(word.filter { $0.isLetter })
                guard let first = name.first, first.isUppercase, name.count > 1 else { return nil }
                return ExtractedEntity(type: .concept, name: name)
            }
        }
    }

    static let places = ["Paris", "Lisbon", "Kyoto", "Oslo", "Quito", "Accra"]
    static let topics = ["Flights", "Hotels", "Museums", "Trains", "Budget", "Visa"]

    func run() throws {
        print("\nDatabaseCoordinator: conversations (source) + knowledge (derived), in \(directory)")
        var report = DemoReport()
        let configuration = DatabaseCoordinator.Configuration(
            handlers: [EmbeddingHandler(model: Embedder()), EntityExtractionHandler(extractor: Extractor())])
        let (coordinator, openTime) = try Measurement.time { try DatabaseCoordinator.open(at: directory, configuration: configuration) }
        report.step("open both databases", openTime)
        var random = SplitMix64(seed: seed)
        let base = Date().addingTimeInterval(-Double(messages) - 60)  // in the past: edges are valid from their message's time
        var inserted: [Node] = []
        let (_, insertTime) = try Measurement.time {
            let chats = try (0..<3).map { index in
                try coordinator.conversations.active.insert(Node(namespace: "demo", createdAt: base, .conversation(Conversation(title: "Trip \(index + 1)"))))
            }
            for index in 0..<messages {
                let place = Self.places[Int(random.next() % UInt64(Self.places.count))]
                let topic = Self.topics[Int(random.next() % UInt64(Self.topics.count))]
                let text = "Question about \(topic) in \(place), please"
                inserted.append(try coordinator.insertMessage(Node(
                    namespace: "demo", createdAt: base.addingTimeInterval(Double(index)),
                    .message(Message(conversation: chats[index % 3].id, role: .user, text: text)))))
            }
        }
        report.step("insert \(messages) messages, each with its tasks in its transaction", insertTime)
        let pending = try coordinator.pending()
        let (batch, enrichTime) = try Measurement.time { try coordinator.runEnrichmentUntilIdle() }
        report.step(
            "run enrichment (\(configuration.batchSize) tasks a batch)", enrichTime,
            note: "\(batch.completed) tasks done, \(batch.retried) retried, \(batch.setAside) set aside")
        let first = inserted[0]
        let (entities, entitiesTime) = try Measurement.time { try coordinator.entities(of: first.id) }
        report.step("entities(of: first message)", entitiesTime, note: entities.compactMap { $0.entity?.name }.joined(separator: ", "))
        let entity = entities.first.map(\.id) ?? EntityExtractionHandler.entityID(namespace: "demo", type: .concept, name: Self.places[0])
        let (mentioning, mentioningTime) = try Measurement.time { try coordinator.messages(mentioning: entity) }
        report.step("messages(mentioning: \(entity))", mentioningTime, note: "\(mentioning.count) messages")
        report.printSteps("Coordinator")
        print("    queued before the run: " + EnrichmentPriority.allCases.map { "\($0) \(pending[$0] ?? 0)" }.joined(separator: ", "))
        try printStatistics(coordinator.statistics())
        try coordinator.close()

        // Isolation: the knowledge directory goes; conversations keep working; rebuild.
        try FileManager.default.removeItem(atPath: directory + "/knowledge")
        let (damaged, reopenTime) = try Measurement.time { try DatabaseCoordinator.open(at: directory, configuration: configuration) }
        defer { try? damaged.close() }
        var rebuild = DemoReport()
        rebuild.step("reopen without knowledge/", reopenTime, note: "knowledge: \(Self.describe(try damaged.statistics().knowledge.health))")
        let (stillThere, readTime) = try Measurement.time { try damaged.message(first.id) }
        rebuild.step("read a message from conversations", readTime, note: stillThere == nil ? "missing" : "found")
        let (requeued, requeueTime) = try Measurement.time { try damaged.rebuildKnowledge() }
        let (replayed, replayTime) = try Measurement.time { try damaged.runEnrichmentUntilIdle() }
        rebuild.step("rebuildKnowledge(): \(requeued) messages queued again", requeueTime)
        rebuild.step("replay enrichment", replayTime, note: "\(replayed.completed) tasks")
        let (again, againTime) = try Measurement.time { try damaged.entities(of: first.id).compactMap { $0.entity?.name } }
        rebuild.step("entities(of: first message) after the rebuild", againTime, note: again.joined(separator: ", "))
        rebuild.printSteps("Knowledge lost and rebuilt")
        print("    knowledge: \(Self.describe(try damaged.statistics().knowledge.health))")
    }

    private func printStatistics(_ statistics: CoordinatorStatistics) {
        var table = Table("database", "health", "tiers (records)", "tier failures")
        for (name, status) in [("conversations", statistics.conversations), ("knowledge", statistics.knowledge)] {
            let tiers = status.tiers?.tiers.map { "\($0.tier) \($0.count)" }.joined(separator: ", ") ?? "-"
            table.add(name, Self.describe(status.health), tiers, "\(status.tierFailures.count)")
        }
        print("Statistics (pending now: \(statistics.pendingTotal), set aside: \(statistics.failedTasks))")
        print(table.render())
    }

    static func describe(_ health: DatabaseHealth) -> String {
        switch health {
        case .available: "available"
        case .unavailable(let error): "unavailable (\(error.code))"
        case .needsRebuild: "needs a rebuild (replaced)"
        }
    }
}
