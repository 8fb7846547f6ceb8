#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Synchronization
import Testing

/// A handler that fails while `failing` is set (the cause of a set-aside task, later fixed).
struct SwitchableHandler: EnrichmentHandler {
    final class Switch: Sendable {
        let failing = Mutex(true)
    }

    let inner: any EnrichmentHandler
    let state: Switch
    var kind: EnrichmentKind { inner.kind }
    func enrich(_ message: Node, knowledge: GraphTransaction) throws {
        if state.failing.withLock({ $0 }) { throw StrataError(.invalidArgument, "the model refuses the text") }
        try inner.enrich(message, knowledge: knowledge)
    }
}

@Suite("Coordinator background enrichment")
struct CoordinatorBackgroundTests {
    @Test("Inserting messages wakes the background worker, which runs until the queue is empty; close stops it")
    func workerRunsUntilIdle() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = CallLog()
        var configuration = DatabaseCoordinator.Configuration(handlers: testHandlers(log), batchSize: 2)
        configuration.backgroundEnrichment = true
        configuration.enrichmentInterval = 3_600  // only an insert's wake can start the work in time
        let coordinator = try DatabaseCoordinator.open(at: root, configuration: configuration)
        let chat = try coordinator.conversations.active.insert(conversation("c", at: Date()))
        let first = try coordinator.insertMessage(message(chat.id, "Paris first", at: Date()))
        let more = try coordinator.insertMessages([message(chat.id, "Rome second", at: Date()), message(chat.id, "Oslo third", at: Date())])
        #expect(try eventually { try coordinator.statistics().pendingTotal == 0 })
        #expect(try coordinator.entities(of: first.id).map { $0.entity?.name } == ["Paris"])
        #expect(try coordinator.entities(of: more[1].id).map { $0.entity?.name } == ["Oslo"])
        #expect(log.count(.embed, more[0].id) == 1)
        let status = try #require(try coordinator.statistics().enrichmentWorker)
        #expect(status.running && status.items == 9 && status.errors == 0)
        try coordinator.close()
        #expect(coordinator.enrichmentWorker.withLock { $0 }?.status.running == false)
        // Off by default.
        let plain = try DatabaseCoordinator.open(at: root)
        defer { try? plain.close() }
        #expect(try plain.statistics().enrichmentWorker == nil)
        var bad = DatabaseCoordinator.Configuration()
        bad.enrichmentInterval = -1
        #expect(throws: StrataError.self) { try DatabaseCoordinator.open(at: root + "/bad", configuration: bad) }
    }

    @Test("retryFailedTasks puts set-aside tasks back; they complete once the cause is fixed")
    func retryFailed() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let model = SwitchableHandler.Switch()
        let handlers: [any EnrichmentHandler] = [
            SwitchableHandler(inner: EmbeddingHandler(model: TestEmbedder()), state: model),
            EntityExtractionHandler(extractor: TestExtractor()),
        ]
        var coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(handlers: handlers, maxAttempts: 2))
        let chat = try coordinator.conversations.active.insert(conversation("c", at: Date()))
        let sent = try coordinator.insertMessages([message(chat.id, "Paris one", at: Date()), message(chat.id, "Rome two", at: Date())])
        #expect(try coordinator.runEnrichmentUntilIdle().setAside == 2)
        #expect(try coordinator.statistics().failedTasks == 2)
        #expect(try coordinator.knowledge().active.reader().space(named: "text") == nil)  // no vector stored
        // Still failing: set aside again, nothing lost.
        #expect(try coordinator.retryFailedTasks() == 2)
        #expect(try coordinator.pending()[.normal] == 2 && coordinator.statistics().failedTasks == 0)
        #expect(try coordinator.runEnrichmentUntilIdle().setAside == 2)
        // Fixed (and across a reopen): replayed, completed.
        try coordinator.close()
        coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(handlers: handlers, maxAttempts: 2))
        defer { try? coordinator.close() }
        model.failing.withLock { $0 = false }
        #expect(try coordinator.retryFailedTasks() == 2)
        #expect(try coordinator.runEnrichmentUntilIdle() == EnrichmentBatch(taken: 2, completed: 2))
        #expect(try coordinator.statistics().failedTasks == 0 && coordinator.statistics().pendingTotal == 0)
        for id in sent.map(\.id) { #expect(try coordinator.knowledge().active.reader().vector(of: id, in: "text") != nil) }
        #expect(try coordinator.retryFailedTasks() == 0)
    }
}
