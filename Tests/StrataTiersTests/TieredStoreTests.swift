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

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let now = Mutex(Date(timeIntervalSince1970: 1_790_000_000))  // 2026-09-21
    var date: Date { now.withLock { $0 } }
    func advance(days: Double) { now.withLock { $0 += days * 86_400 } }
}

func temporaryRoot() -> String {
    let path = FileManager.default.temporaryDirectory.path + "/strata-tiers-\(UUID().uuidString)"
    return path
}

func message(_ conversation: NodeID, _ text: String, at date: Date, namespace: String = "u") -> Node {
    Node(namespace: namespace, createdAt: date, .message(Message(conversation: conversation, role: .user, text: text)))
}

func conversation(_ title: String, at date: Date, namespace: String = "u") -> Node {
    Node(namespace: namespace, createdAt: date, .conversation(Conversation(title: title)))
}

@Suite("Tiered memory store")
struct TieredStoreTests {
    @Test("A record reads the same from any tier; a miss opens no archive")
    func lazyOpenAndCatalog() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let store = try TieredMemoryStore.open(at: root, configuration: .init(clock: { clock.date }))
        let now = clock.date
        let old = now.addingTimeInterval(-200 * 86_400)
        let oldChat = conversation("old", at: old)
        let oldMessage = message(oldChat.id, "hello from spring", at: old.addingTimeInterval(60))
        try store.place([oldChat, oldMessage], in: .archive(holding: old))
        let newChat = try store.active.insert(conversation("new", at: now))
        try store.close()

        let reopened = try TieredMemoryStore.open(at: root, configuration: .init(clock: { clock.date }))
        defer { try? reopened.close() }
        // A miss and an active read open nothing.
        #expect(try reopened.node(NodeID("absent"), hint: .any) == nil)
        #expect(try reopened.node(newChat.id, hint: .any)?.conversation?.title == "new")
        #expect(try reopened.statistics().tierOpens == 0)
        // The archived record, from the one archive the catalog names.
        #expect(try reopened.tier(of: oldMessage.id) == .archive(holding: old))
        #expect(try reopened.node(oldMessage.id, hint: .active) == nil)
        let read = try #require(try reopened.node(oldMessage.id, hint: .any))
        #expect(read.message?.content.text == "hello from spring")
        #expect(read.createdAt == oldMessage.createdAt)
        #expect(try reopened.statistics().tierOpens == 1)
        #expect(try reopened.node(oldMessage.id, hint: .tier(Tier.archive(holding: old).name)) != nil)
        #expect(try reopened.node(oldMessage.id, hint: .tier("recent")) == nil)
        #expect(try reopened.messages(in: oldChat.id)?.map(\.id) == [oldMessage.id])
        #expect(try reopened.statistics().tierOpens == 1)
    }

    @Test("Queries merge tiers in time order and prune tiers by range")
    func mergedQueries() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let store = try TieredMemoryStore.open(at: root, configuration: .init(clock: { clock.date }))
        defer { try? store.close() }
        let now = clock.date
        var expected: [NodeID] = []
        // One conversation per month for a year, each in the tier its age puts it in.
        for month in (0..<12).reversed() {
            let date = now.addingTimeInterval(-Double(month) * 30 * 86_400 - 3600)
            let chat = conversation("m\(month)", at: date)
            let tier = store.configuration.tier(forCreatedAt: date, now: now)
            try store.place([chat], in: tier)
            expected.append(chat.id)
        }
        let all = try store.nodes(in: "u", kind: .conversation)
        #expect(all.map(\.id) == expected)
        #expect(try store.nodes(in: "u", kind: .conversation, limit: 3, reverse: true).map(\.id) == Array(expected.reversed().prefix(3)))
        #expect(try store.nodes(in: "u", kind: .conversation, hint: .active).count == 1)  // only the last hour is younger than 30 days
        let before = try store.statistics().tierOpens
        let lastWeek = now.addingTimeInterval(-7 * 86_400)..<now
        #expect(try store.nodes(in: "u", createdIn: lastWeek).map(\.id) == [expected.last!])
        #expect(try store.statistics().tierOpens == before)  // no archive overlaps the last week
        let summaries = try store.tiers()
        #expect(summaries.first?.tier == .active)
        #expect(summaries.map(\.count).reduce(0, +) == 12)
    }

    @Test("At most maxOpenTiers stay open; idle tiers close")
    func boundedOpens() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let store = try TieredMemoryStore.open(at: root, configuration: .init(maxOpenTiers: 2, idleClose: 60, clock: { clock.date }))
        defer { try? store.close() }
        var ids: [NodeID] = []
        for quarter in 0..<4 {
            let date = clock.date.addingTimeInterval(-Double(200 + 92 * quarter) * 86_400)
            let chat = conversation("q\(quarter)", at: date)
            try store.place([chat], in: .archive(holding: date))
            ids.append(chat.id)
        }
        #expect(try store.statistics().openTiers.count <= 2)
        for id in ids { #expect(try store.node(id) != nil) }
        #expect(try store.statistics().openTiers.count <= 2)
        clock.advance(days: 1)
        #expect(try store.closeIdleTiers() == 2)
        #expect(try store.statistics().openTiers.isEmpty)
        #expect(try store.node(ids[0]) != nil)
    }

    @Test("Vector search merges each tier's top k")
    func vectorMerge() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let store = try TieredMemoryStore.open(at: root, configuration: .init(clock: { clock.date }))
        defer { try? store.close() }
        let space = EmbeddingSpace(name: "e", model: "test", dimension: 2, metric: .l2)
        let old = clock.date.addingTimeInterval(-200 * 86_400)
        let archive = Tier.archive(holding: old)
        let far = conversation("far", at: old), near = conversation("near", at: old)
        try store.place([far, near], in: archive)
        _ = try store.pool.withStore(archive, writable: true) { tier in
            try tier.define(space)
            try tier.setVector([0.9, 0.1], for: near.id, in: "e")
            try tier.setVector([-1, 0], for: far.id, in: "e")
        }
        let mid = try store.active.insert(conversation("mid", at: clock.date))
        try store.active.define(space)
        try store.active.setVector([0.5, 0.5], for: mid.id, in: "e")
        let result = try store.nearest(to: [1, 0], k: 2, in: "e", namespace: "u")
        #expect(result.hits.map(\.id) == [near.id, mid.id])
        let all = try store.nearest(to: [1, 0], k: 5, in: "e", namespace: "u")
        #expect(all.hits.count == 3 && all.filterExhausted)
        #expect(try store.nearest(to: [1, 0], k: 5, in: "e", namespace: "u", hint: .active).hits.map(\.id) == [mid.id])
    }

    @Test("Bad hints and configurations throw typed errors")
    func badInput() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        #expect(throws: StrataError.self) { try TieredMemoryStore.open(at: root, configuration: .init(activeAge: 90 * 86_400, recentAge: 30 * 86_400)) }
        let store = try TieredMemoryStore.open(at: root, configuration: .init(clock: { clock.date }))
        defer { try? store.close() }
        let chat = try store.active.insert(conversation("c", at: clock.date))
        for name in ["archive", "2026-Q5", "26-Q1", "Recent", ""] {
            #expect { try store.node(chat.id, hint: .tier(name)) } throws: { ($0 as? StrataError)?.code == .unknownTier }
        }
        let empty = clock.date..<clock.date
        #expect { try store.nodes(in: "u", hint: .timeRange(empty)) } throws: { ($0 as? StrataError)?.code == .invalidArgument }
        #expect { try store.nearest(to: [1], k: 0, in: "e", namespace: "u") } throws: { ($0 as? StrataError)?.code == .invalidArgument }
        #expect(try store.node(chat.id) != nil)
    }
}
