import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import StrataTiers
import Synchronization
import Testing

/// The DatabaseCoordinator through its public API only, as an application would use it: its own
/// model and extractor, messages in, enrichment, cross-database queries, statistics, a lost
/// knowledge directory, a restart with tasks still queued.
@Suite("DatabaseCoordinator (black box)")
struct CoordinatorBlackBoxTests {
    struct LengthModel: EmbeddingModel {
        var space: EmbeddingSpace { EmbeddingSpace(name: "len", model: "length", dimension: 2, metric: .l2) }
        func embed(_ text: String) throws -> [Float] { [Float(text.count), Float(text.split(separator: " ").count)] }
    }

    struct HashtagExtractor: EntityExtractor {
        func entities(in text: String) throws -> [ExtractedEntity] {
            text.split(separator: " ").filter { $0.hasPrefix("#") }.map { ExtractedEntity(type: .concept, name: String($0.dropFirst())) }
        }
    }

    /// An application kind: counts words into a `summary`-like custom node owned by nothing.
    struct WordCount: EnrichmentHandler {
        var kind: EnrichmentKind { "wordcount" }
        func enrich(_ message: Node, knowledge: GraphTransaction) throws {
            let id = NodeID("wc/\(message.id)")
            let words = Int64(message.message?.content.text.split(separator: " ").count ?? 0)
            let node = Node(id: id, namespace: message.namespace, createdAt: message.createdAt,
                            .custom(CustomNode(kind: "wordcount", properties: ["words": .int(words)])))
            if try knowledge.node(id) == nil { try knowledge.insert(node) }
        }
    }

    private var configuration: DatabaseCoordinator.Configuration {
        .init(
            tasks: [.init(.index, .urgent), .init(.embed, .normal), .init(.extractEntities, .normal), .init("wordcount", .low)],
            handlers: [EmbeddingHandler(model: LengthModel()), EntityExtractionHandler(extractor: HashtagExtractor()), WordCount()])
    }

    @Test("Messages in, enrichment by priority, cross-database queries, a restart with tasks queued")
    func endToEnd() throws {
        let directory = try TemporaryDirectory(prefix: "strata-coordinator")
        var coordinator = try DatabaseCoordinator.open(at: directory.path, configuration: configuration)
        let chat = try coordinator.conversations.active.insert(Node(namespace: "u", .conversation(Conversation(title: "Plans"))))
        let texts = ["off to #paris soon", "#paris then #rome", "nothing tagged", "back from #rome"]
        let ids = try texts.map { try coordinator.insertMessage(Node(namespace: "u", .message(Message(conversation: chat.id, role: .user, text: $0)))).id }
        #expect(try coordinator.pending() == [.urgent: 4, .high: 0, .normal: 8, .low: 4])

        // Urgent tasks first: after four tasks, every message is indexed and nothing else ran.
        #expect(try coordinator.runEnrichment(limit: 4).completed == 4)
        #expect(try coordinator.pending() == [.urgent: 0, .high: 0, .normal: 8, .low: 4])
        #expect(try coordinator.entities(of: ids[1]).isEmpty)

        // A restart keeps the rest queued.
        try coordinator.close()
        coordinator = try DatabaseCoordinator.open(at: directory.path, configuration: configuration)
        defer { try? coordinator.close() }
        #expect(try coordinator.statistics().pendingTotal == 12)
        try coordinator.runEnrichmentUntilIdle()
        #expect(try coordinator.statistics().pendingTotal == 0)

        let paris = EntityExtractionHandler.entityID(namespace: "u", type: .concept, name: "paris")
        let rome = EntityExtractionHandler.entityID(namespace: "u", type: .concept, name: "rome")
        #expect(try coordinator.entities(of: ids[1]).map(\.id) == [paris, rome].sorted())
        #expect(try coordinator.entities(of: ids[2]).isEmpty)
        #expect(try coordinator.messages(mentioning: rome).map(\.id) == [ids[1], ids[3]])
        #expect(try coordinator.messages(mentioning: paris).map { $0.message?.content.text } == [texts[0], texts[1]])
        let knowledge = try coordinator.knowledge()
        #expect(try knowledge.node(NodeID("wc/\(ids[1])"))?.content == .custom(CustomNode(kind: "wordcount", properties: ["words": .int(3)])))
        #expect(try knowledge.active.reader().vector(of: ids[3], in: "len") == [15, 3])
        let statistics = try coordinator.statistics()
        #expect(statistics.conversations.health.isAvailable && statistics.knowledge.health.isAvailable)
        #expect(statistics.failedTasks == 0)
    }

    @Test("Knowledge lost: conversations work, queries report it, a rebuild restores it")
    func knowledgeLost() throws {
        let directory = try TemporaryDirectory(prefix: "strata-coordinator")
        do {
            let coordinator = try DatabaseCoordinator.open(at: directory.path, configuration: configuration)
            let chat = try coordinator.conversations.active.insert(Node(id: "chat", namespace: "u", .conversation(Conversation(title: "t"))))
            try coordinator.insertMessage(Node(id: "m1", namespace: "u", .message(Message(conversation: chat.id, role: .user, text: "see #oslo"))))
            try coordinator.runEnrichmentUntilIdle()
            try coordinator.close()
        }
        // Something not a database where knowledge/active was.
        try FileManager.default.removeItem(atPath: directory.appending("knowledge"))
        try FileManager.default.createDirectory(atPath: directory.appending("knowledge"), withIntermediateDirectories: true)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: directory.appending("knowledge/active")))

        let coordinator = try DatabaseCoordinator.open(at: directory.path, configuration: configuration)
        defer { try? coordinator.close() }
        #expect(!(try coordinator.statistics().knowledge.health.isAvailable))
        #expect(try coordinator.message("m1")?.message?.content.text == "see #oslo")
        try coordinator.insertMessage(Node(id: "m2", namespace: "u", .message(Message(conversation: "chat", role: .user, text: "and #oslo again"))))
        #expect(throws: StrataError.self) { try coordinator.entities(of: "m1") }
        #expect(throws: StrataError.self) { try coordinator.runEnrichment() }
        #expect(try coordinator.rebuildKnowledge() == 2)
        try coordinator.runEnrichmentUntilIdle()
        let oslo = EntityExtractionHandler.entityID(namespace: "u", type: .concept, name: "oslo")
        #expect(try coordinator.messages(mentioning: oslo).map(\.id) == ["m1", "m2"])
    }
}
