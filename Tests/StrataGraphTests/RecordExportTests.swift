import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// Export of every record of a store and import into an empty one: the copy answers every query
/// as the original does, and each record is byte for byte the same.
@Suite struct RecordExportTests {
    static let base = Date(timeIntervalSince1970: 1_700_000_000)
    static let now = base.addingTimeInterval(10_000)

    /// A store with every record kind, versions, access stats, an expiry (passed and future),
    /// vectors in two spaces, edges with properties, an invalidated edge and a self-loop.
    static func source() throws -> (MemoryStore, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let store = try MemoryStore.open(at: directory.path, configuration: .init(clock: { now }))
        let t = { (seconds: Double) in base.addingTimeInterval(seconds) }
        try store.write { graph in
            try graph.insert(Node(id: "c", namespace: "ns", createdAt: t(0), .conversation(Conversation(title: "Trip"))))
            try graph.insert(Node(id: "m1", namespace: "ns", createdAt: t(1), .message(Message(conversation: "c", role: .user, text: "to Paris"))))
            var reply = Message(conversation: "c", role: .assistant, text: "ok")
            reply.parent = "m1"
            try graph.insert(Node(id: "m2", namespace: "ns", createdAt: t(2), expiresAt: t(50_000), .message(reply)))
            try graph.insert(Node(id: "gone", namespace: "ns", createdAt: t(3), expiresAt: t(5), .message(Message(conversation: "c", role: .user, text: "old"))))
            try graph.insert(Node(id: "paris", namespace: "ns", createdAt: t(4), .entity(Entity(type: .place, name: "Paris", aliases: ["Lutetia"]))))
            try graph.insert(Node(id: "mem", namespace: "ns", createdAt: t(5), .memory(Memory(kind: .semantic, text: "likes trains", importance: 0.9, source: "m1"))))
            try graph.insert(Node(id: "sum", namespace: "ns", createdAt: t(6), .summary(Summary(subject: "c", text: "a trip"))))
            try graph.insert(Node(id: "note", namespace: "ns", createdAt: t(7), .custom(CustomNode(kind: "note", properties: ["n": 1], owner: "m2"))))
            try graph.define(EmbeddingSpace(name: "a", model: "t", dimension: 2, metric: .cosine))
            try graph.define(EmbeddingSpace(name: "b", model: "t", dimension: 3, metric: .l2))
            try graph.setVector([1, 0], for: "m1", in: "a")
            try graph.setVector([0.5, 0.5], for: "m2", in: "a")
            try graph.setVector([1, 2, 3], for: "m1", in: "b")
            try graph.setVector([3, 2, 1], for: "paris", in: "b")
            try graph.addEdge(Edge(from: "m1", type: .mentions, to: "paris", weight: 0.7, properties: ["span": "0-5"], validFrom: t(1)))
            try graph.addEdge(Edge(from: "m2", type: .mentions, to: "paris", validFrom: t(2), validUntil: t(9)))
            try graph.addEdge(Edge(from: "paris", type: "self", to: "paris", validFrom: t(4)))
            try graph.addEdge(Edge(from: "m2", type: .repliesTo, to: "m1", validFrom: t(2)))
        }
        try store.update("paris") { $0.content = .entity(Entity(type: .place, name: "Paris", aliases: ["Lutetia"], summary: "capital")) }
        try store.update("paris") { $0.content = .entity(Entity(type: .place, name: "Paris", aliases: ["Lutetia", "City"], summary: "capital")) }
        try store.recordAccess("mem", at: t(100))
        try store.recordAccess("mem", at: t(200))
        return (store, directory)
    }

    static let roots: [NodeID] = ["c", "paris"]

    /// Everything a reader answers about `store`, as comparable text.
    static func answers(_ store: MemoryStore) throws -> [String] {
        var lines: [String] = []
        for includingExpired in [false, true] {
            let reader = try store.reader(includingExpired: includingExpired)
            let all = try reader.nodes(in: "ns")
            lines.append("nodes \(all.map(\.id))")
            for node in all {
                lines.append("\(node)")
                lines.append("versions \(try reader.versions(of: node.id))")
                lines.append("access \(String(describing: try reader.accessStats(of: node.id)))")
                for direction in EdgeDirection.allCases {
                    lines.append("edges \(direction) \(try reader.edges(of: node.id, direction: direction, includingInvalidated: true))")
                }
                lines.append("vectors \(String(describing: try reader.vector(of: node.id, in: "a"))) \(String(describing: try reader.vector(of: node.id, in: "b")))")
            }
            lines.append("window \(try reader.messages(in: "c").map(\.id))")
            lines.append("memories \(try reader.memories(in: "ns").map(\.id))")
            lines.append("named \(try reader.entities(named: "lutetia", in: "ns").map(\.id))")
            lines.append("mentions \(try reader.mentions(of: "paris").map(\.id))")
            lines.append("dependents \(try reader.dependents(of: "c").map(\.id))")
            lines.append("count \(try reader.count(in: "ns", kind: .message))")
            lines.append("near a \(try reader.nearest(to: [1, 0.1], k: 3, in: "a", namespace: "ns").hits.map(\.id))")
            lines.append("near b \(try reader.nearest(to: [1, 2, 2], k: 3, in: "b", namespace: "ns").hits.map(\.id))")
        }
        return lines
    }

    @Test func everyRecordRoundTripsIntoAnotherStore() throws {
        let (source, sourceDirectory) = try Self.source()
        _ = sourceDirectory
        let reader = try source.reader()
        let ids = try Self.roots.flatMap { try reader.unit(of: $0) }
        #expect(Set(ids) == Set(try source.reader(includingExpired: true).nodes(in: "ns").map(\.id)))
        let exports = try ids.map { try #require(try reader.export($0)) }
        // The binary form decodes to an equal export.
        for export in exports { #expect(try RecordExport(decoding: export.encoded) == export) }

        let targetDirectory = try TemporaryDirectory()
        let target = try MemoryStore.open(at: targetDirectory.path, configuration: .init(clock: { Self.now }))
        let unplaced = try target.write { graph in try exports.flatMap { try graph.importRecord($0) } }
        // An edge whose other end came later in the batch was stored by that end's import.
        #expect(unplaced.count == 3)
        for edge in unplaced { #expect(try target.reader().edges(of: edge.from, type: edge.type, includingInvalidated: true).contains(edge)) }
        #expect(try Self.answers(target) == Self.answers(source))
        #expect(try target.verify().problems == [])
        let again = try target.reader()
        for export in exports { #expect(try again.export(export.id) == export) }
        // Sources of the unit order: owners come first.
        #expect(try reader.unit(of: "c").first == "c")
        #expect(try reader.unit(of: "c").firstIndex(of: "m1")! < reader.unit(of: "c").firstIndex(of: "m2")!)
    }

    /// A record imported without the other end of an edge returns that edge; importing the other
    /// end later stores it once, with its degree.
    @Test func edgesToAbsentEndsAreReturnedThenPlacedByTheOtherEnd() throws {
        let (source, sourceDirectory) = try Self.source()
        _ = sourceDirectory
        let reader = try source.reader()
        let targetDirectory = try TemporaryDirectory()
        let target = try MemoryStore.open(at: targetDirectory.path, configuration: .init(clock: { Self.now }))
        let paris = try #require(try reader.export("paris"))
        let pending = try target.write { try $0.importRecord(paris) }
        #expect(Set(pending.map(\.from)) == ["m1", "m2"])
        for id in try reader.unit(of: "c") { try target.write { _ = try $0.importRecord(try #require(try reader.export(id))) } }
        #expect(try target.verify().problems == [])
        #expect(try Self.answers(target) == Self.answers(source))
    }

    @Test func badImportsAreTypedAndChangeNothing() throws {
        let (source, sourceDirectory) = try Self.source()
        _ = sourceDirectory
        let export = try #require(try source.reader().export("paris"))
        let before = try Self.answers(source)
        #expect(throws: StrataError.self) { try source.write { try $0.importRecord(export) } }
        do {
            _ = try source.write { try $0.importRecord(export) }
        } catch let error as StrataError {
            #expect(error.code == .duplicateID)
        }
        #expect(try Self.answers(source) == before)
        var damaged = export.encoded
        damaged[damaged.count / 2] ^= 0xFF
        damaged.removeLast()
        #expect(throws: StrataError.self) { try RecordExport(decoding: damaged) }
        #expect(throws: StrataError.self) { try RecordExport(decoding: [1, 2, 3]) }
        // A space defined here with another dimension: dimensionMismatch, nothing written.
        let targetDirectory = try TemporaryDirectory()
        let target = try MemoryStore.open(at: targetDirectory.path)
        try target.define(EmbeddingSpace(name: "b", model: "t", dimension: 4, metric: .l2))
        do {
            _ = try target.write { try $0.importRecord(export) }
            Issue.record("imported into a conflicting space")
        } catch let error as StrataError {
            #expect(error.code == .dimensionMismatch)
        }
        #expect(try target.node("paris") == nil)
    }

    /// Evicting a record removes it and its edges (both rows, degrees) but not what hangs off it.
    @Test func evictRemovesOneRecordWithoutTheCascade() throws {
        let (source, sourceDirectory) = try Self.source()
        _ = sourceDirectory
        try source.write { try $0.evict("paris") }
        #expect(try source.node("paris") == nil)
        #expect(try source.node("m1") != nil)
        #expect(try source.reader().edges(of: "m1").isEmpty)
        #expect(try source.verify().problems == [])
        try source.write { try $0.evict("c") }
        #expect(try source.node("m1") != nil)
        #expect(throws: StrataError.self) { try source.write { try $0.evict("c") } }
    }
}
