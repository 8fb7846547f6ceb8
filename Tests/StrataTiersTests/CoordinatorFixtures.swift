#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import StrataTiers
import Synchronization

/// A deterministic "embedding model": 4 numbers from the text's bytes.
struct TestEmbedder: EmbeddingModel {
    var space: EmbeddingSpace { EmbeddingSpace(name: "text", model: "test-embedder", dimension: 4, metric: .l2) }
    func embed(_ text: String) throws -> [Float] {
        var sums: [Float] = [0, 0, 0, 0]
        for (index, byte) in text.utf8.enumerated() { sums[index % 4] += Float(byte) / 255 }
        return sums
    }
}

/// A deterministic "entity extractor": every capitalised word is a concept.
struct TestExtractor: EntityExtractor {
    func entities(in text: String) throws -> [ExtractedEntity] {
        text.split(separator: " ").compactMap { word in
            let name = String(word.filter { $0.isLetter || $0.isNumber })
            guard let first = name.first, first.isUppercase else { return nil }
            return ExtractedEntity(type: .concept, name: name)
        }
    }
}

/// Counts how many times each message went through a handler (at-least-once checks).
final class CallLog: Sendable {
    private let calls = Mutex([String: Int]())
    func record(_ kind: EnrichmentKind, _ id: NodeID) { calls.withLock { $0["\(kind)/\(id)", default: 0] += 1 } }
    func count(_ kind: EnrichmentKind, _ id: NodeID) -> Int { calls.withLock { $0["\(kind)/\(id)"] ?? 0 } }
}

/// A handler that logs each call, then runs `inner`; it throws for texts containing "FAIL".
struct LoggingHandler: EnrichmentHandler {
    let inner: any EnrichmentHandler
    let log: CallLog
    var kind: EnrichmentKind { inner.kind }
    func enrich(_ message: Node, knowledge: GraphTransaction) throws {
        log.record(kind, message.id)
        if message.message?.content.text.contains("FAIL") == true { throw StrataError(.invalidArgument, "the handler refuses \(message.id)") }
        try inner.enrich(message, knowledge: knowledge)
    }
}

/// The usual handlers, logged.
func testHandlers(_ log: CallLog) -> [any EnrichmentHandler] {
    [LoggingHandler(inner: EmbeddingHandler(model: TestEmbedder()), log: log),
     LoggingHandler(inner: EntityExtractionHandler(extractor: TestExtractor()), log: log)]
}

/// What the knowledge database holds, in comparable form: every entity, every MENTIONS edge,
/// every message vector (times left out: they follow the messages, not the run).
struct KnowledgeSnapshot: Equatable {
    var entities: Set<String> = []
    var mentions: Set<String> = []
    var vectors: [String: [Float]] = [:]

    init(_ coordinator: DatabaseCoordinator, messages: [NodeID], namespace: String = "u") throws {
        let knowledge = try coordinator.knowledge()
        for node in try knowledge.nodes(in: namespace, kind: .entity) { entities.insert("\(node.id)=\(node.entity!.name)") }
        for id in messages {
            for entity in try coordinator.entities(of: id) { mentions.insert("\(id)->\(entity.id)") }
            if let vector = try knowledge.active.reader().vector(of: id, in: "text") { vectors["\(id)"] = vector }
        }
    }
}
