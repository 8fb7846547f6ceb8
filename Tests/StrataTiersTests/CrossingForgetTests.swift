#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import StrataTiers
import Testing

/// A record forgotten in `active` (``MemoryStore/forget(_:)`` through ``TieredMemoryStore/active``)
/// takes its edges inside active with it; its edges to records in other tiers (the crossing
/// edges) must go from every answer too: no query may reach a forgotten record, an entity's
/// mention count drops, and a later move of the other end does not trip over the dead edge.
/// (Found by `crash-campaign --workload tiers`.)
@Suite("Forgetting a record with edges across tiers")
struct CrossingForgetTests {
    static let now = Date(timeIntervalSince1970: 1_788_220_800)
    static let day = 86_400.0

    /// A conversation with one message mentioning an entity, the conversation `chatAge` days
    /// old and the entity `entityAge`, migrated (the older one leaves active).
    static func store(chatAge: Double, entityAge: Double) throws -> (TieredMemoryStore, String) {
        let root = temporaryRoot()
        let store = try TieredMemoryStore.open(at: root, configuration: .init(clock: { now }))
        try store.active.write(durability: .synced) { graph in
            let chat = now.addingTimeInterval(-chatAge * day)
            try graph.insert(Node(id: "chat", namespace: "u", createdAt: chat, .conversation(Conversation(title: "c"))))
            try graph.insert(Node(id: "m", namespace: "u", createdAt: chat.addingTimeInterval(60), .message(Message(conversation: "chat", role: .user, text: "hi"))))
            try graph.insert(Node(id: "e", namespace: "u", createdAt: now.addingTimeInterval(-entityAge * day), .entity(Entity(type: .concept, name: "E"))))
            try graph.addEdge(Edge(from: "m", type: .mentions, to: "e"))
        }
        try store.migrate()
        return (store, root)
    }

    @Test("An entity forgotten in active leaves no edge on the archived message that mentioned it")
    func forgottenEntity() throws {
        let (store, root) = try Self.store(chatAge: 200, entityAge: 1)
        defer { try? store.close(); try? FileManager.default.removeItem(atPath: root) }
        #expect(try store.tier(of: "m") != .active && store.tier(of: "e") == .active)
        #expect(try store.edges(of: "m").map(\.to) == ["e"])
        try store.active.forget("e")
        #expect(try store.node("e") == nil)
        #expect(try store.edges(of: "m").isEmpty)
        #expect(try store.edges(of: "m", direction: .both).isEmpty)
        // The message comes back to active: its dead edge is not placed there.
        #expect(try store.move(["chat"], to: .active))
        #expect(try store.edges(of: "m").isEmpty)
        #expect(try store.active.verify().isSound)
    }

    @Test("A conversation forgotten in active leaves no mention on the archived entity")
    func forgottenConversation() throws {
        let (store, root) = try Self.store(chatAge: 1, entityAge: 200)
        defer { try? store.close(); try? FileManager.default.removeItem(atPath: root) }
        #expect(try store.tier(of: "e") != .active && store.tier(of: "m") == .active)
        #expect(try store.node("e")?.entity?.mentionCount == 1)
        try store.active.forget("chat")
        #expect(try store.node("m") == nil)
        #expect(try store.edges(of: "e", direction: .incoming).isEmpty)
        #expect(try store.node("e")?.entity?.mentionCount == 0)
        #expect(try store.nodes(in: "u", kind: .entity).first?.entity?.mentionCount == 0)
        #expect(try store.move(["e"], to: .active))
        #expect(try store.edges(of: "e", direction: .incoming).isEmpty)
        #expect(try store.node("e")?.entity?.mentionCount == 0)
    }
}
