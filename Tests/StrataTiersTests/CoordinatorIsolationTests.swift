import Foundation
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

/// Overwrites every file under `directory` with garbage of the same length (at least 64 bytes).
func damage(_ directory: String) throws {
    let files = FileManager.default
    guard let walker = files.enumerator(atPath: directory) else { return }
    var damaged = 0
    while let name = walker.nextObject() as? String {
        let path = directory + "/" + name
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, !name.hasSuffix("lock") else { continue }
        let size = max(64, (try files.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        try Data(repeating: 0x5A, count: size).write(to: URL(fileURLWithPath: path))
        damaged += 1
    }
    precondition(damaged > 0, "nothing to damage in \(directory)")
}

@Suite("Coordinator fault isolation")
struct CoordinatorIsolationTests {
    /// Builds a coordinator with `count` enriched messages; returns their ids and the knowledge.
    private func enriched(_ root: String, count: Int, log: CallLog) throws -> ([NodeID], KnowledgeSnapshot) {
        let coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(handlers: testHandlers(log)))
        defer { try? coordinator.close() }
        let chat = try coordinator.conversations.active.insert(conversation("c", at: Date()))
        let ids = try (0..<count).map { try coordinator.insertMessage(message(chat.id, "Topic\($0 % 3) with Friend\($0 % 2)", at: Date())).id }
        try coordinator.runEnrichmentUntilIdle()
        return (ids, try KnowledgeSnapshot(coordinator, messages: ids))
    }

    @Test("A damaged knowledge database leaves conversations working, is reported, and rebuilds from the source")
    func damagedKnowledge() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = CallLog()
        let (ids, before) = try enriched(root, count: 6, log: log)
        #expect(!before.mentions.isEmpty && before.vectors.count == 6)
        try damage(root + "/knowledge/active")
        let conversationsBefore = try FileManager.default.contentsOfDirectory(atPath: root + "/conversations/active")

        let coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(handlers: testHandlers(log)))
        defer { try? coordinator.close() }
        guard case .unavailable(let cause) = try coordinator.statistics().knowledge.health else {
            Issue.record("the damaged knowledge database was not reported")
            return
        }
        #expect([.corruption, .notADatabase].contains(cause.code))
        // Conversations work: reads, inserts (tasks queued), stats.
        #expect(try coordinator.message(ids[0])?.message?.content.text == "Topic0 with Friend0")
        let chat = try #require(try coordinator.message(ids[0])?.message?.conversation)
        let late = try coordinator.insertMessage(message(chat, "Topic9 arrives late", at: Date()))
        #expect(try coordinator.pending()[.urgent] == 1)
        #expect(try coordinator.statistics().conversations.health.isAvailable)
        // Knowledge queries and the worker fail typed, taking nothing.
        #expect(throws: StrataError.self) { try coordinator.entities(of: ids[0]) }
        let error = #expect(throws: StrataError.self) { try coordinator.runEnrichment() }
        #expect(error?.code == .knowledgeUnavailable)
        #expect(try coordinator.statistics().pendingTotal == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/conversations/active").count >= conversationsBefore.count)

        // Rebuild: every message queued again, the knowledge equal to what it was (plus the late one).
        #expect(try coordinator.rebuildKnowledge() == 7)
        try coordinator.runEnrichmentUntilIdle()
        #expect(try coordinator.statistics().knowledge.health.isAvailable)
        var after = try KnowledgeSnapshot(coordinator, messages: ids)
        #expect(after.entities.remove("entity/u/concept/topic9=Topic9") != nil)
        #expect(after == before)
        #expect(try coordinator.entities(of: late.id).map { $0.entity?.name } == ["Topic9"])
        let aside = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix("knowledge.replaced-") }
        #expect(aside.count == 1)
    }

    @Test("A missing knowledge directory is noticed (needs a rebuild) and rebuilt equal")
    func missingKnowledge() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = CallLog()
        let (ids, before) = try enriched(root, count: 5, log: log)
        try FileManager.default.removeItem(atPath: root + "/knowledge")
        let coordinator = try DatabaseCoordinator.open(at: root, configuration: .init(handlers: testHandlers(log)))
        defer { try? coordinator.close() }
        guard case .needsRebuild = try coordinator.statistics().knowledge.health else {
            Issue.record("a replaced knowledge database was not noticed")
            return
        }
        #expect(try coordinator.entities(of: ids[0]).isEmpty)
        #expect(try coordinator.rebuildKnowledge() == 5)
        try coordinator.runEnrichmentUntilIdle()
        guard case .available = try coordinator.statistics().knowledge.health else {
            Issue.record("the rebuilt knowledge database is not available")
            return
        }
        #expect(try KnowledgeSnapshot(coordinator, messages: ids) == before)
        // Reopened, the pairing holds.
        try coordinator.close()
        let reopened = try DatabaseCoordinator.open(at: root)
        defer { try? reopened.close() }
        #expect(try reopened.statistics().knowledge.health.isAvailable)
        if case .needsRebuild = try reopened.statistics().knowledge.health { Issue.record("still needs a rebuild after one") }
    }

    @Test("An unreadable archive leaves the active tier working; the failure is reported per tier")
    func unreadableArchive() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let configuration = DatabaseCoordinator.Configuration(tiers: .init(clock: { clock.date }), handlers: testHandlers(CallLog()))
        let old = clock.date.addingTimeInterval(-200 * 86_400)
        let archive = Tier.archive(holding: old)
        var archived: [Node] = []
        do {
            let coordinator = try DatabaseCoordinator.open(at: root, configuration: configuration)
            let chat = conversation("old", at: old)
            archived = [chat, message(chat.id, "Ancient Rome", at: old.addingTimeInterval(1))]
            try coordinator.conversations.place(archived, in: archive)
            #expect(try coordinator.message(archived[1].id)?.message?.content.text == "Ancient Rome")
            try coordinator.close()
        }
        try damage(root + "/conversations/" + archive.path)

        let coordinator = try DatabaseCoordinator.open(at: root, configuration: configuration)
        defer { try? coordinator.close() }
        let chat = try coordinator.conversations.active.insert(conversation("new", at: clock.date))
        let fresh = try coordinator.insertMessage(message(chat.id, "Modern Paris", at: clock.date))
        #expect(try coordinator.runEnrichmentUntilIdle().completed == 3)
        #expect(try coordinator.entities(of: fresh.id).map { $0.entity?.name } == ["Modern", "Paris"])
        #expect(try coordinator.message(fresh.id, hint: .active) == fresh)
        #expect(try coordinator.message(archived[1].id, hint: .active) == nil)
        #expect(try coordinator.statistics().conversations.tierFailures.isEmpty)
        #expect(throws: StrataError.self) { try coordinator.message(archived[1].id) }
        let failures = try coordinator.statistics().conversations.tierFailures
        #expect(failures.keys.sorted() == [archive])
        #expect(failures[archive].map { [.corruption, .notADatabase].contains($0.code) } == true)
        #expect(try coordinator.statistics().knowledge.health.isAvailable)
    }
}
