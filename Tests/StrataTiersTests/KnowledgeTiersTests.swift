#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

@Suite("Knowledge across tiers")
struct KnowledgeTiersTests {
    @Test("Knowledge ages like conversations; entities(of:) and messages(mentioning:) answer across tiers; a re-mention folds into the archived entity")
    func knowledgeTiered() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let log = CallLog()
        let configuration = DatabaseCoordinator.Configuration(tiers: .init(clock: { clock.date }), handlers: testHandlers(log))
        var coordinator = try DatabaseCoordinator.open(at: root, configuration: configuration)
        let day = 86_400.0
        let long = clock.date.addingTimeInterval(-200 * day)
        let oldChat = try coordinator.conversations.active.insert(conversation("old", at: long))
        let old = try coordinator.insertMessage(message(oldChat.id, "Paris and Lyon", at: long.addingTimeInterval(60)))
        let newChat = try coordinator.conversations.active.insert(conversation("new", at: clock.date))
        let young = try coordinator.insertMessage(message(newChat.id, "Oslo now", at: clock.date))
        try coordinator.runEnrichmentUntilIdle()
        let moved = try coordinator.migrate()
        #expect(moved.conversations.records == 2 && moved.knowledge?.records == 3)  // the old ref, Paris, Lyon
        let archive = Tier.archive(year: 2026, quarter: 1)
        let knowledge = try coordinator.knowledge()
        let paris = EntityExtractionHandler.entityID(namespace: "u", type: .concept, name: "Paris")
        #expect(try knowledge.tier(of: old.id) == archive && knowledge.tier(of: paris) == archive)
        #expect(try knowledge.tier(of: young.id) == .active)
        #expect(try coordinator.entities(of: old.id).map { $0.entity?.name } == ["Lyon", "Paris"])
        #expect(try coordinator.messages(mentioning: paris).map(\.id) == [old.id])

        // A new message mentions the archived entity: the handler's shadow folds into the original.
        let again = try coordinator.insertMessage(message(newChat.id, "Paris again", at: clock.date))
        try coordinator.runEnrichmentUntilIdle()
        #expect(try knowledge.tier(of: paris) == .active)
        #expect(try coordinator.entities(of: again.id).map(\.id) == [paris])
        #expect(try coordinator.messages(mentioning: paris).map(\.id) == [old.id, again.id])
        #expect(try knowledge.nodes(in: "u", kind: .entity).map { $0.entity!.name }.sorted() == ["Lyon", "Oslo", "Paris"])
        #expect(try knowledge.node(paris)?.entity?.mentionCount == 2)

        // Re-enriching an archived message brings its reference up and writes beside it, once.
        try coordinator.rebuildKnowledge()
        try coordinator.runEnrichmentUntilIdle()
        try coordinator.migrate()
        let rebuilt = try coordinator.knowledge()
        #expect(try rebuilt.tier(of: old.id) == archive)
        try coordinator.conversations.active.database.write { transaction in
            try coordinator.queue.enqueue([(.extractEntities, .normal)], for: old.id, namespace: "u", in: transaction)
        }
        try coordinator.runEnrichmentUntilIdle()
        #expect(try rebuilt.tier(of: old.id) == .active)
        #expect(try coordinator.entities(of: old.id).map { $0.entity?.name } == ["Lyon", "Paris"])
        #expect(try rebuilt.nodes(in: "u", kind: .entity).count == 3)
        #expect(try coordinator.messages(mentioning: paris).map(\.id) == [old.id, again.id])

        // After a reopen, and with every tier moved again.
        try coordinator.close()
        coordinator = try DatabaseCoordinator.open(at: root, configuration: configuration)
        defer { try? coordinator.close() }
        clock.advance(days: 200)
        try coordinator.migrate()
        #expect(try coordinator.knowledge().tier(of: young.id) != .active)
        #expect(try coordinator.entities(of: young.id).map { $0.entity?.name } == ["Oslo"])
        #expect(try coordinator.messages(mentioning: paris).map(\.id) == [old.id, again.id])
        #expect(try coordinator.entities(of: again.id).map(\.id) == [paris])
    }
}
