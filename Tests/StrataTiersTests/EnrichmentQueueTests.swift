#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

@Suite("Enrichment queue")
struct EnrichmentQueueTests {
    @Test("Inserting a message queues its tasks in the same transaction; pending counts by priority")
    func queuedWithMessage() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let coordinator = try DatabaseCoordinator.open(at: root)
        let chat = try coordinator.conversations.active.insert(conversation("c", at: Date()))
        try coordinator.insertMessages([message(chat.id, "one", at: Date()), message(chat.id, "two", at: Date())])
        #expect(try coordinator.pending() == [.urgent: 2, .high: 0, .normal: 4, .low: 0])
        // A refused message queues nothing.
        #expect(throws: StrataError.self) {
            try coordinator.insertMessages([message(chat.id, "three", at: Date()), message("no-such-chat", "x", at: Date())])
        }
        #expect(throws: StrataError.self) { try coordinator.insertMessage(conversation("not a message", at: Date())) }
        #expect(try coordinator.statistics().pendingTotal == 6)
        // Still queued after a reopen.
        try coordinator.close()
        let reopened = try DatabaseCoordinator.open(at: root)
        defer { try? reopened.close() }
        #expect(try reopened.pending() == [.urgent: 2, .high: 0, .normal: 4, .low: 0])
    }

    @Test("A batch takes tasks urgent first, then oldest first, and removes only what ran")
    func priorityOrder() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = CallLog()
        let coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(handlers: testHandlers(log)))
        defer { try? coordinator.close() }
        let chat = try coordinator.conversations.active.insert(conversation("c", at: Date()))
        let first = try coordinator.insertMessage(message(chat.id, "Paris first", at: Date()))
        let second = try coordinator.insertMessage(message(chat.id, "Rome second", at: Date()))
        let taken = try coordinator.queue.take(6)
        #expect(taken.map(\.priority) == [.urgent, .urgent, .normal, .normal, .normal, .normal])
        #expect(taken.map(\.message) == [first.id, second.id, first.id, first.id, second.id, second.id])
        let batch = try coordinator.runEnrichment(limit: 2)
        #expect(batch == EnrichmentBatch(taken: 2, completed: 2))
        #expect(try coordinator.pending()[.urgent] == 0)
        #expect(log.count(.embed, first.id) == 0)
        #expect(try coordinator.entities(of: first.id).isEmpty)
        try coordinator.runEnrichmentUntilIdle()
        #expect(try coordinator.statistics().pendingTotal == 0)
        #expect(try coordinator.entities(of: first.id).map { $0.entity?.name } == ["Paris"])
        #expect(log.count(.embed, first.id) == 1 && log.count(.extractEntities, second.id) == 1)
    }

    @Test("A failing handler retries at the back, then is set aside; other tasks complete")
    func failingHandler() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = CallLog()
        let coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(handlers: testHandlers(log), maxAttempts: 3))
        defer { try? coordinator.close() }
        let chat = try coordinator.conversations.active.insert(conversation("c", at: Date()))
        let bad = try coordinator.insertMessage(message(chat.id, "FAIL Here", at: Date()))
        let good = try coordinator.insertMessage(message(chat.id, "Fine Here", at: Date()))
        let total = try coordinator.runEnrichmentUntilIdle()
        #expect(total.setAside == 2)  // embed and entities of `bad`
        #expect(total.retried == 4)
        // Three attempts; each runs the handler in the batch's transaction, then alone.
        #expect(log.count(.embed, bad.id) == 6)
        #expect(try coordinator.statistics().failedTasks == 2)
        #expect(try coordinator.entities(of: good.id).map { $0.entity?.name } == ["Fine", "Here"])
        #expect(try coordinator.entities(of: bad.id).isEmpty)
    }

    @Test("A task whose message was deleted is dropped; bad limits and configurations are refused")
    func droppedAndRefused() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(tasks: [.init(.index, .high)]))
        defer { try? coordinator.close() }
        let chat = try coordinator.conversations.active.insert(conversation("c", at: Date()))
        let gone = try coordinator.insertMessage(message(chat.id, "gone", at: Date()))
        try coordinator.conversations.active.delete(gone.id)
        #expect(try coordinator.runEnrichment() == EnrichmentBatch(taken: 1, dropped: 1))
        #expect(throws: StrataError.self) { try coordinator.runEnrichment(limit: 0) }
        for bad in [DatabaseCoordinator.Configuration(batchSize: 0), .init(maxAttempts: 0), .init(tasks: [.init("", .low)])] {
            #expect(throws: StrataError.self) { try DatabaseCoordinator.open(at: temporaryRoot(), configuration: bad) }
        }
    }
}
