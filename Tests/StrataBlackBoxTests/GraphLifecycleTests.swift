import Foundation
import StrataEngine
import StrataGraph
import Testing

/// Edges invalidated versus removed, expiry before and after the sweep, versions, reopen.
@Suite struct GraphLifecycleTests {
    let alice = Tenant(namespace: "alice")
    let base = GraphHarness.base

    @Test func invalidateKeepsTheEdgeAndRemoveDropsIt() throws {
        var harness = try GraphHarness()
        try alice.build(in: harness.store)
        let (m1, m2) = (alice.messages[0], alice.messages[1])
        let until = base.addingTimeInterval(3600)
        try harness.store.addEdge(Edge(from: m1, type: .relatesTo, to: m2, weight: 0.5, validFrom: base))
        expectCode(.invalidField, "before validFrom") { try harness.store.invalidateEdge(from: m1, type: .relatesTo, to: m2, at: base.addingTimeInterval(-1)) }
        try harness.store.invalidateEdge(from: m1, type: .relatesTo, to: m2, at: until)

        for round in 0..<2 {
            let reader = try harness.store.reader()   // now = a day after base: past `until`
            #expect(try reader.edges(of: m1, type: .relatesTo).isEmpty, "round \(round)")
            let kept = try reader.edges(of: m1, type: .relatesTo, includingInvalidated: true)
            #expect(kept.count == 1)
            #expect(kept.first?.validUntil == until)
            #expect(kept.first?.weight == 0.5)
            #expect(kept.first?.isValid(at: until) == false)
            #expect(try reader.neighbours(of: m1, type: .relatesTo).isEmpty)
            #expect(try !reader.neighbours(of: m2, direction: .incoming).contains(m1))
            #expect(try !reader.expand(from: m1, hops: 1, types: [.relatesTo]).map(\.id).contains(m2))
            let earlier = try harness.store.reader(at: base.addingTimeInterval(60))
            #expect(try earlier.neighbours(of: m1, type: .relatesTo) == [m2], "still valid before `until`")
            #expect(try harness.store.verify().isSound)
            try harness.reopen()
        }
        #expect(try harness.store.removeEdge(from: m1, type: .relatesTo, to: m2))
        let reader = try harness.store.reader()
        #expect(try reader.edges(of: m1, type: .relatesTo, includingInvalidated: true).isEmpty)
        #expect(try reader.edges(of: m2, direction: .incoming, includingInvalidated: true).filter { $0.type == .relatesTo }.isEmpty)
        #expect(try harness.store.removeEdge(from: m1, type: .relatesTo, to: m2) == false)
        expectCode(.missingRecord) { try harness.store.invalidateEdge(from: m1, type: .relatesTo, to: m2) }
        expectCode(.missingRecord, "an edge to a missing node") { try harness.store.addEdge(Edge(from: m1, type: .relatesTo, to: "nobody")) }
        #expect(try harness.store.verify().isSound)
    }

    @Test func anInvalidatedMentionIsNoLongerAMention() throws {
        let harness = try GraphHarness()
        try alice.build(in: harness.store)
        try harness.store.invalidateEdge(from: alice.messages[0], type: .mentions, to: alice.paris, at: base)
        let reader = try harness.store.reader()
        #expect(try reader.mentionIDs(of: alice.paris) == [alice.messages[2]])
        #expect(try reader.entities(mentionedBy: alice.messages[0]).isEmpty)
        // mentionCount leaves out invalidated mentions, as mentions(of:) does.
        let afterInvalidation = try reader.node(alice.paris)?.entity?.mentionCount
        #expect(afterInvalidation == 1, "mentionCount counts the mentions queries return")
    }

    @Test func expiredNodesAreHiddenFromEveryQueryBeforeTheSweep() throws {
        let harness = try GraphHarness()
        let store = harness.store
        try alice.build(in: store)
        let past = GraphHarness.now.addingTimeInterval(-60)
        let later = GraphHarness.now.addingTimeInterval(3600)
        try store.write { graph in
            try graph.insert(Node(id: "x-msg", namespace: "alice", createdAt: base.addingTimeInterval(900), expiresAt: past,
                                  .message(Message(conversation: alice.chat, role: .user, text: "gone soon"))))
            try graph.insert(Node(id: "x-ent", namespace: "alice", createdAt: base, expiresAt: past,
                                  .entity(Entity(type: .concept, name: "Ephemera"))))
            try graph.insert(Node(id: "x-mem", namespace: "alice", createdAt: base, expiresAt: past,
                                  .memory(Memory(kind: .working, text: "scratch", importance: 1))))
            try graph.insert(Node(id: "live-mem", namespace: "alice", createdAt: base, expiresAt: later,
                                  .memory(Memory(kind: .working, text: "for an hour", importance: 0.1))))
            try graph.addEdge(Edge(from: "x-msg", type: .mentions, to: alice.paris, validFrom: base))
            try graph.addEdge(Edge(from: alice.messages[0], type: .mentions, to: "x-ent", validFrom: base))
            try graph.setVector([1, 0, 0], for: "x-msg", in: "text")
        }
        let expired: Set<NodeID> = ["x-msg", "x-ent", "x-mem"]
        let reader = try store.reader()
        for id in expired {
            #expect(try reader.node(id) == nil)
            #expect(try reader.versions(of: id).isEmpty)
        }
        #expect(try reader.nodes(Array(expired)).isEmpty)
        #expect(expired.isDisjoint(with: try reader.nodeIDs(in: "alice")))
        #expect(expired.isDisjoint(with: try reader.nodes(in: "alice", olderThan: GraphHarness.now).map(\.id)))
        #expect(try reader.count(in: "alice") == alice.all.count + 1)
        #expect(try reader.messages(in: alice.chat).map(\.id) == alice.messages)
        #expect(try reader.memories(in: "alice").map(\.id) == [alice.memory, "live-mem"])
        #expect(try reader.entities(named: "ephemera", in: "alice").isEmpty)
        #expect(try reader.mentionIDs(of: alice.paris) == [alice.messages[2], alice.messages[0]])
        // mentionCount leaves out the expired message's mention before the sweep.
        let withExpiredMention = try reader.node(alice.paris)?.entity?.mentionCount
        #expect(withExpiredMention == 2)
        #expect(try reader.entities(mentionedBy: alice.messages[0]).map(\.id) == [alice.paris])
        #expect(try !reader.neighbours(of: alice.messages[0], direction: .both).contains("x-ent"))
        #expect(expired.isDisjoint(with: try reader.expand(from: alice.paris, hops: 3, direction: .both).map(\.id)))
        #expect(expired.isDisjoint(with: try reader.nearest(to: [1, 0, 0], k: 10, in: "text", namespace: "alice").hits.map(\.id)))
        // Asked for, or at an earlier time, they are there.
        let all = try store.reader(includingExpired: true)
        #expect(try all.node("x-msg") != nil)
        #expect(try all.mentionIDs(of: alice.paris).contains("x-msg"))
        #expect(try store.reader(at: base.addingTimeInterval(1000)).node("x-ent") != nil)
        // The sweep deletes them through the delete path; the live one stays.
        #expect(try store.expire() == 3)
        let swept = try store.reader(includingExpired: true)
        for id in expired { #expect(try swept.node(id) == nil) }
        #expect(try swept.node("live-mem") != nil)
        #expect(try swept.mentionIDs(of: alice.paris).count == 2)
        #expect(try store.expire() == 0)
        let report = try store.verify()
        #expect(report.isSound, "\(report.problems)")
        #expect(try rawEntries(holding: "x-msg", in: store.database).isEmpty)
        #expect(try store.expire(now: later) == 1)
    }

    @Test func updatesKeepTheRetainedVersions() throws {
        var harness = try GraphHarness(versionRetention: 2)
        let store = harness.store
        let id: NodeID = "rome"
        let created = try store.insert(Node(id: id, namespace: "alice", createdAt: base, .entity(Entity(type: .place, name: "Roma"))))
        #expect(created.version == 1)
        for name in ["Rome", "Rome, Italy", "Eternal City", "Rome (city)"] {
            _ = try store.update(id) { $0.content = .entity(Entity(type: .place, name: name)) }
        }
        let current = try #require(try store.node(id))
        #expect(current.version == 5)
        #expect(current.createdAt == base)
        #expect(current.entity?.name == "Rome (city)")
        var reader = try store.reader()
        #expect(try reader.versions(of: id).map(\.version) == [3, 4, 5], "two earlier versions retained, then the current")
        #expect(try reader.versions(of: id).map { $0.entity?.name } == ["Rome, Italy", "Eternal City", "Rome (city)"])
        #expect(try reader.entities(named: "Roma", in: "alice").isEmpty, "the old name's index entry moved")
        #expect(try reader.entities(named: "rome (CITY)", in: "alice").map(\.id) == [id])
        expectCode(.wrongKind) { _ = try store.update(id) { $0.content = .memory(Memory(kind: .semantic, text: "t")) } }
        expectCode(.namespaceMismatch) { _ = try store.update(id) { $0.namespace = "bob" } }
        expectCode(.missingRecord) { _ = try store.update("nobody") { _ in } }
        expectCode(.duplicateID) { _ = try store.insert(Node(id: id, namespace: "alice", .entity(Entity(type: .place, name: "X")))) }
        #expect(try store.node(id)?.version == 5)
        try harness.reopen(versionRetention: 2)
        reader = try harness.store.reader()
        #expect(try reader.versions(of: id).map(\.version) == [3, 4, 5])
        #expect(try harness.store.verify().isSound)

        let none = try GraphHarness(versionRetention: 0)
        _ = try none.store.insert(Node(id: "n", namespace: "a", .entity(Entity(type: .person, name: "A"))))
        _ = try none.store.update("n") { $0.content = .entity(Entity(type: .person, name: "B")) }
        #expect(try none.store.reader().versions(of: "n").map(\.version) == [2])
    }

    @Test func badInputsAreTypedErrorsAndChangeNothing() throws {
        let harness = try GraphHarness()
        let store = harness.store
        try alice.build(in: store)
        let before = try store.verify()
        expectCode(.invalidField, "empty namespace") { _ = try store.insert(Node(namespace: "", .entity(Entity(type: .person, name: "A")))) }
        expectCode(.invalidField, "long namespace") {
            _ = try store.insert(Node(namespace: String(repeating: "n", count: GraphLimits.maxNamespaceBytes + 1), .entity(Entity(type: .person, name: "A"))))
        }
        expectCode(.invalidField, "empty entity name") { _ = try store.insert(Node(namespace: "alice", .entity(Entity(type: .person, name: "")))) }
        expectCode(.invalidField, "importance above 1") {
            _ = try store.insert(Node(namespace: "alice", .memory(Memory(kind: .semantic, text: "t", importance: 1.5))))
        }
        expectCode(.invalidField, "an empty string id") { _ = try store.insert(Node(id: NodeID(""), namespace: "alice", .entity(Entity(type: .person, name: "A")))) }
        expectCode(.missingRecord, "a message of a missing conversation") {
            _ = try store.insert(Node(namespace: "alice", .message(Message(conversation: "nope", role: .user, text: "t"))))
        }
        expectCode(.wrongKind, "a message whose conversation is an entity") {
            _ = try store.insert(Node(namespace: "alice", .message(Message(conversation: alice.paris, role: .user, text: "t"))))
        }
        expectCode(.dimensionMismatch) { try store.setVector([1, 0], for: alice.paris, in: "text") }
        expectCode(.nonFiniteVector) { try store.setVector([.nan, 0, 0], for: alice.paris, in: "text") }
        expectCode(.nonFiniteVector) { try store.setVector([.infinity, 0, 0], for: alice.paris, in: "text") }
        expectCode(.missingRecord, "unknown space") { try store.setVector([1, 0, 0], for: alice.paris, in: "nospace") }
        expectCode(.missingRecord, "unknown node") { try store.setVector([1, 0, 0], for: "nobody", in: "text") }
        expectCode(.dimensionMismatch, "redefining a space") { try store.define(EmbeddingSpace(name: "text", model: "test-model", dimension: 4, metric: .cosine)) }
        expectCode(.dimensionMismatch, "a query of the wrong length") { _ = try store.reader().nearest(to: [1], k: 1, in: "text", namespace: "alice") }
        expectCode(.invalidField, "k < 1") { _ = try store.reader().nearest(to: [1, 0, 0], k: 0, in: "text", namespace: "alice") }
        expectCode(.invalidField, "hops < 1") { _ = try store.reader().expand(from: alice.paris, hops: 0) }
        expectCode(.invalidField, "NaN weight") { try store.addEdge(Edge(from: alice.messages[0], type: .relatesTo, to: alice.paris, weight: .nan)) }
        expectCode(.missingRecord, "delete of an unknown id") { _ = try store.delete("nobody") }
        expectCode(.missingRecord, "bulk delete with one unknown id, checked first") { _ = try store.delete(contentsOf: [alice.memory, "nobody"]) }
        let after = try store.verify()
        #expect(after.isSound)
        #expect(after.nodes == before.nodes && after.edges == before.edges && after.vectors == before.vectors && after.indexEntries == before.indexEntries)
        #expect(try store.node(alice.memory) != nil)
    }

    @Test func everythingReadsTheSameAfterReopen() throws {
        var harness = try GraphHarness()
        let bob = Tenant(namespace: "bob")
        try alice.build(in: harness.store)
        try bob.build(in: harness.store)
        try harness.store.recordAccess(alice.memory, at: base.addingTimeInterval(5))
        try harness.store.recordAccess(alice.memory, at: base.addingTimeInterval(9))
        func digest(_ store: MemoryStore) throws -> [String] {
            let reader = try store.reader()
            var lines: [String] = []
            for tenant in [alice, bob] {
                let ns = tenant.namespace
                lines.append("\(try reader.nodes(in: ns))")
                lines.append("\(try reader.messages(in: tenant.chat, reverse: true).map(\.id))")
                lines.append("\(try reader.mentionIDs(of: tenant.paris))")
                lines.append("\(try reader.expand(from: tenant.paris, hops: 3, direction: .both))")
                lines.append("\(try reader.nearest(to: [1, 1, 0], k: 2, in: "text", namespace: ns).hits)")
                lines.append("\(try reader.memories(in: ns))")
                lines.append("\(try reader.accessStats(of: tenant.memory).map { "\($0.count) \($0.last)" } ?? "none")")
                lines.append("\(try reader.space(named: "text").map(\.dimension) ?? 0)")
            }
            return lines
        }
        let before = try digest(harness.store)
        #expect(try harness.store.reader().accessStats(of: alice.memory)?.count == 2)
        #expect(try harness.store.node(alice.memory)?.memory?.accessCount == 2)
        try harness.reopen()
        #expect(try digest(harness.store) == before)
        #expect(try harness.store.verify().isSound)
        // A store over a database the caller opened leaves it open on close.
        try harness.store.close()
        let db = try Database.open(at: harness.path)
        let store = try MemoryStore(database: db, configuration: GraphHarness.configuration())
        #expect(try digest(store) == before)
        try store.close()
        #expect(try db.treeNames().count > 0)
        try db.close()
    }
}
