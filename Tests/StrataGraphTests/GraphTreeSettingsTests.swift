import Foundation
@testable import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// The settings the graph's trees are created with (FORMAT.md, "Graph trees"), and that a store
/// created before them keeps its trees' own.
@Suite struct GraphTreeSettingsTests {
    static let owner = TreeOwner("strata.graph")
    /// The trees a new store creates without LZ4 (read on every query: a cold read then costs
    /// no decompression).
    static let uncompressed = ["graph.nodes", "graph.edges", "graph.edges.in", "graph.index"]

    static func settings(of name: String, in database: Database) throws -> TreeSettings {
        try #require(try database.treeState(named: name)).settings
    }

    static let base = Date(timeIntervalSince1970: 1_700_000_000)

    /// A conversation with `count` messages, each mentioning one entity.
    static func fill(_ store: MemoryStore, count: Int) throws {
        try store.write { graph in
            try graph.insert(Node(id: "c", namespace: "ns", createdAt: base, .conversation(Conversation(title: "Trip"))))
            try graph.insert(Node(id: "e", namespace: "ns", createdAt: base, .entity(Entity(type: .place, name: "Paris"))))
            for index in 0..<count {
                try graph.insert(Node(
                    id: NodeID("m\(index)"), namespace: "ns", createdAt: base.addingTimeInterval(Double(index + 1)),
                    .message(Message(conversation: "c", role: .user, text: String(repeating: "text of message \(index) ", count: 8)))))
                try graph.addEdge(Edge(from: NodeID("m\(index)"), type: .mentions, to: "e", validFrom: base))
            }
        }
    }

    static func check(_ store: MemoryStore, count: Int) throws {
        let reader = try store.reader()
        #expect(try reader.messages(in: "c").count == count)
        for index in [0, count / 2, count - 1] {
            let message = try #require(try store.node(NodeID("m\(index)"))?.message)
            #expect(message.content == .text(String(repeating: "text of message \(index) ", count: 8)))
            #expect(try reader.neighbours(of: NodeID("m\(index)"), type: .mentions) == ["e"])
        }
        #expect(try reader.mentionIDs(of: "e", limit: count + 1).count == count)
        #expect(try store.verify().isSound)
    }

    @Test func aNewStoreCreatesItsQueriedTreesUncompressed() throws {
        let directory = try TemporaryDirectory()
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }
        for name in Self.uncompressed {
            #expect(try Self.settings(of: name, in: store.database) == TreeSettings(compression: false), "\(name)")
        }
        // The others follow the configuration, as before.
        #expect(try Self.settings(of: "graph.versions", in: store.database) == .default)
        #expect(try Self.settings(of: "graph.meta", in: store.database) == .default)
    }

    /// A store made before the graph trees had their own settings (every tree but the vector
    /// ones at the configuration's, so compressed) opens, keeps those settings, reads what it
    /// holds, and takes new writes, across a reopen.
    @Test func aStoreWithCompressedTreesKeepsThemAndReadsUnchanged() throws {
        let directory = try TemporaryDirectory()
        do {
            let database = try Database.open(at: directory.path)
            for name in Self.uncompressed {
                _ = try database.ownedTree(name, owner: Self.owner)
            }
            let store = try MemoryStore(database: database)
            try Self.fill(store, count: 300)
            try database.checkpoint()
            try Self.check(store, count: 300)
            try store.close()
            try database.close()
        }
        let store = try MemoryStore.open(at: directory.path)
        defer { try? store.close() }
        for name in Self.uncompressed {
            #expect(try Self.settings(of: name, in: store.database) == .default, "\(name)")
            #expect(store.database.store.compresses(tree: try #require(try store.database.treeState(named: name)).id))
        }
        try Self.check(store, count: 300)
        try store.write { graph in
            try graph.insert(Node(
                id: "m300", namespace: "ns", createdAt: Self.base.addingTimeInterval(301),
                .message(Message(conversation: "c", role: .user, text: String(repeating: "text of message 300 ", count: 8)))))
            try graph.addEdge(Edge(from: "m300", type: .mentions, to: "e", validFrom: Self.base))
        }
        try store.database.checkpoint()
        try Self.check(store, count: 301)
    }
}
