import Foundation
import StrataEngine
import StrataGraph
import Testing

/// "Forget" a conversation, then ask every kind of query: nothing returns it or what hung off it.
@Suite struct GraphForgetTests {
    static let secret = "SECRET-XYZZY"
    let chat: NodeID = "forgettable-chat"
    let m1: NodeID = "forgettable-m1", m2: NodeID = "forgettable-m2", m3: NodeID = "forgettable-m3"
    let memory: NodeID = "forgettable-memory", summary: NodeID = "forgettable-summary", note: NodeID = "forgettable-note"
    let paris: NodeID = "keep-paris", rome: NodeID = "keep-rome", outsider: NodeID = "keep-outsider"
    var forgotten: [NodeID] { [chat, m1, m2, m3, memory, summary, note] }
    var kept: [NodeID] { [paris, rome, outsider] }
    let ns = "tenant"

    func build(_ store: MemoryStore) throws {
        let base = GraphHarness.base
        try store.define(EmbeddingSpace(name: "text", model: "m", dimension: 2, metric: .l2))
        try store.write { graph in
            try graph.insert(Node(id: chat, namespace: ns, createdAt: base, .conversation(Conversation(title: "\(Self.secret) chat"))))
            try graph.insert(Node(id: paris, namespace: ns, createdAt: base, .entity(Entity(type: .place, name: "Paris"))))
            try graph.insert(Node(id: rome, namespace: ns, createdAt: base, .entity(Entity(type: .place, name: "Rome"))))
            try graph.insert(Node(id: outsider, namespace: ns, createdAt: base, .custom(CustomNode(kind: "note", properties: ["p": 1]))))
            for (i, id) in [m1, m2, m3].enumerated() {
                try graph.insert(Node(id: id, namespace: ns, createdAt: base.addingTimeInterval(Double(i + 1)), .message(Message(
                    conversation: chat, role: .user, content: .text("\(Self.secret) \(i)"), parent: i == 1 ? m1 : nil,
                    metadata: ["tag": .string(Self.secret)]))))
                try graph.setVector([Float(i), 1], for: id, in: "text")
            }
            try graph.insert(Node(id: memory, namespace: ns, createdAt: base.addingTimeInterval(10),
                                  .memory(Memory(kind: .semantic, text: "\(Self.secret) fact", importance: 0.9, source: m1))))
            try graph.setVector([5, 5], for: memory, in: "text")
            try graph.insert(Node(id: summary, namespace: ns, createdAt: base.addingTimeInterval(20),
                                  .summary(Summary(subject: chat, text: "\(Self.secret) summary"))))
            try graph.insert(Node(id: note, namespace: ns, createdAt: base.addingTimeInterval(30),
                                  .custom(CustomNode(kind: "note", properties: ["s": .string(Self.secret)], owner: m2))))
            try graph.addEdge(Edge(from: m1, type: .mentions, to: paris, validFrom: base))
            try graph.addEdge(Edge(from: m3, type: .mentions, to: paris, validFrom: base))
            try graph.addEdge(Edge(from: m3, type: .mentions, to: rome, validFrom: base))
            try graph.addEdge(Edge(from: outsider, type: .relatesTo, to: m1, validFrom: base))
            try graph.addEdge(Edge(from: m3, type: .relatesTo, to: outsider, validFrom: base))
            try graph.addEdge(Edge(from: paris, type: .relatesTo, to: rome, validFrom: base))
            try graph.addEdge(Edge(from: memory, type: .derivedFrom, to: m1, validFrom: base))
        }
        for text in ["edited once", "edited twice"] {
            _ = try store.update(m1) { $0.content = .message(Message(conversation: chat, role: .user, text: "\(Self.secret) \(text)")) }
        }
        try store.recordAccess(m1, at: base.addingTimeInterval(100))
        try store.recordAccess(memory, at: base.addingTimeInterval(100))
    }

    func checkForgotten(_ store: MemoryStore) throws {
        for reader in [try store.reader(), try store.reader(includingExpired: true)] {
            let gone = Set(forgotten)
            for id in forgotten {
                #expect(try reader.node(id) == nil, "\(id)")
                #expect(try reader.node(id, in: ns) == nil, "\(id)")
                #expect(try store.node(id) == nil, "\(id)")
                #expect(try reader.versions(of: id).isEmpty, "\(id)")
                #expect(try reader.accessStats(of: id) == nil, "\(id)")
                #expect(try reader.vector(of: id, in: "text") == nil, "\(id)")
                #expect(emptyOrMissing { try reader.edges(of: id, direction: .both, includingInvalidated: true) }.isEmpty, "\(id)")
                for direction in EdgeDirection.allCases {
                    #expect(emptyOrMissing { try reader.neighbours(of: id, direction: direction) }.isEmpty, "\(id)")
                }
                #expect(emptyOrMissing { try reader.dependents(of: id) }.isEmpty, "\(id)")
                #expect(emptyOrMissing { try reader.entities(mentionedBy: id) }.isEmpty, "\(id)")
                expectCode(.missingRecord, "expand from \(id)") { _ = try reader.expand(from: id, hops: 2) }
            }
            #expect(try reader.nodes(forgotten).isEmpty)
            expectCode(.missingRecord, "the conversation's window") { _ = try reader.messages(in: chat) }
            for kind: NodeKind? in [nil, .conversation, .message, .memory, .summary, .entity, .custom("note")] {
                let ids = try reader.nodeIDs(in: ns, kind: kind)
                #expect(gone.isDisjoint(with: ids), "\(String(describing: kind))")
                #expect(gone.isDisjoint(with: try reader.nodes(in: ns, kind: kind, reverse: true).map(\.id)))
                #expect(gone.isDisjoint(with: try reader.nodes(in: ns, kind: kind, olderThan: GraphHarness.now).map(\.id)))
                #expect(gone.isDisjoint(with: try reader.nodes(in: ns, kind: kind,
                                                                createdIn: GraphHarness.base..<GraphHarness.now).map(\.id)))
            }
            #expect(try reader.count(in: ns) == kept.count)
            #expect(try reader.count(in: ns, kind: .message) == 0)
            #expect(try reader.count(in: ns, kind: .memory) == 0)
            #expect(try reader.memories(in: ns).isEmpty)
            #expect(try reader.entities(named: "paris", in: ns).map(\.id) == [paris])
            #expect(try reader.node(paris)?.entity?.mentionCount == 0)
            #expect(try reader.node(rome)?.entity?.mentionCount == 0)
            #expect(try reader.mentions(of: paris).isEmpty)
            #expect(try reader.mentionIDs(of: rome).isEmpty)
            #expect(try reader.coMentioned(with: paris).isEmpty)
            #expect(try reader.neighbours(of: outsider, direction: .both).isEmpty)
            #expect(try reader.edges(of: outsider, direction: .both, includingInvalidated: true).isEmpty)
            #expect(try reader.edges(of: paris, direction: .incoming, includingInvalidated: true).isEmpty)
            #expect(try reader.neighbours(of: paris, direction: .both) == [rome])
            for start in kept {
                let reached = try reader.expand(from: start, hops: 5, direction: .both).map(\.id)
                #expect(gone.isDisjoint(with: reached), "expand from \(start)")
            }
            for filter in [VectorFilter.none, VectorFilter(conversation: chat), VectorFilter(kinds: [.message, .memory]),
                           VectorFilter(createdIn: GraphHarness.base..<GraphHarness.now)] {
                let result = emptyOrMissing { try reader.nearest(to: [1, 1], k: 10, in: "text", namespace: ns, filter: filter).hits }
                #expect(result.isEmpty)
            }
        }
        let report = try store.verify()
        #expect(report.isSound, "\(report.problems)")
        #expect(report.nodes == kept.count)
        #expect(report.vectors == 0)
        #expect(report.edges == 1)
        // Read raw, as any engine user can: no graph tree holds the forgotten ids or text.
        #expect(try rawEntries(holding: "forgettable", in: store.database).isEmpty)
        #expect(try rawEntries(holding: Self.secret, in: store.database).isEmpty)
    }

    @Test func forgetReachesEveryQueryAndSurvivesReopen() throws {
        var harness = try GraphHarness()
        try build(harness.store)
        let before = try harness.store.reader()
        #expect(try before.versions(of: m1).count == 3)
        #expect(try before.coMentioned(with: paris).map(\.entity) == [rome])
        #expect(try !rawEntries(holding: Self.secret, in: harness.store.database).isEmpty)
        #expect(try harness.store.forget(chat) == forgotten.count)
        try checkForgotten(harness.store)
        // A reader made before the forget still shows its commit, whole.
        #expect(try before.messages(in: chat).map(\.id) == [m1, m2, m3])
        #expect(try before.node(note) != nil)
        try harness.reopen()
        try checkForgotten(harness.store)
        expectCode(.missingRecord, "forgetting twice") { _ = try harness.store.forget(chat) }
    }

    @Test func forgettingAMessageTakesItsRepliesMemoriesAndNotes() throws {
        let harness = try GraphHarness()
        try build(harness.store)
        #expect(try harness.store.forget(m1) == 4)   // m1, its reply m2, m2's note, the memory sourced from m1
        let reader = try harness.store.reader()
        #expect(try reader.messages(in: chat).map(\.id) == [m3])
        #expect(try reader.nodes([m1, m2, note, memory]).isEmpty)
        #expect(try reader.mentionIDs(of: paris) == [m3])
        #expect(try reader.node(paris)?.entity?.mentionCount == 1)
        #expect(try reader.neighbours(of: outsider, direction: .both) == [m3])
        #expect(try reader.dependents(of: chat).map(\.id).sorted() == [m3, summary].sorted())
        #expect(try harness.store.verify().isSound)
        #expect(try rawEntries(holding: "forgettable-m1", in: harness.store.database).isEmpty)
    }
}
