import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// Bugs the graph model test found, each pinned by a small test that fails without its fix.
@Suite struct GraphRegressionTests {
    /// `insert(contentsOf:)` wrote the nodes before a refused one, so a transaction that caught
    /// the error committed part of the batch (a call that throws must leave the transaction as
    /// it was).
    @Test func aRefusedBulkInsertStoresNoneOfItsNodes() throws {
        let sample = try SampleGraph()
        let batch = [
            Node(id: "fresh", namespace: "ns", .conversation(Conversation(title: "new"))),
            Node(id: "reply", namespace: "ns", .message(Message(conversation: "fresh", role: .user, text: "hi"))),
            Node(id: "m1", namespace: "ns", .conversation(Conversation(title: "duplicate id"))),
        ]
        try sample.store.write { graph in
            #expect(throws: StrataError.self) { try graph.insert(contentsOf: batch) }
            try graph.insert(Node(id: "other", namespace: "ns", .conversation(Conversation(title: "kept"))))
        }
        #expect(try sample.store.node("fresh") == nil)
        #expect(try sample.store.node("reply") == nil)
        #expect(try sample.store.node("other") != nil)
        // A batch whose nodes refer to earlier ones still goes in whole.
        try sample.store.insert(contentsOf: Array(batch.prefix(2)))
        #expect(try sample.store.reader().messages(in: "fresh").map(\.id) == ["reply"])
        #expect(try sample.store.verify().isSound)
    }

    /// `nodes(olderThan:)` passed `Date.distantPast` as a key bound, and any query range or
    /// reader time outside the years 1678 ... 2262 trapped in `TupleKey` (a crash of the process).
    @Test func farDatesInQueriesAreClampedNotTrapped() throws {
        let sample = try SampleGraph()
        let reader = try sample.store.reader()
        #expect(try reader.nodes(in: "ns", olderThan: sample.base.addingTimeInterval(2)).map(\.id) == [sample.chat, sample.paris, "m1"])
        #expect(try reader.nodes(in: "ns", kind: .message, createdIn: Date.distantPast..<Date.distantFuture).count == 3)
        #expect(try reader.messages(in: sample.chat, range: Date.distantPast..<Date.distantFuture).count == 3)
        #expect(try sample.store.reader(at: Date.distantFuture).node("m1") != nil)
        let nan = Date(timeIntervalSince1970: .nan)
        let error = #expect(throws: StrataError.self) { try reader.nodes(in: "ns", createdIn: nan..<nan) }
        #expect(error?.code == .invalidField)
    }

    /// An importance of -0.0 is valid (it is in 0 ... 1) but the index orders it before +0, so
    /// `memories(minImportance: 0)` skipped it.
    @Test func aMemoryOfImportanceNegativeZeroIsFound() throws {
        let sample = try SampleGraph()
        try sample.store.insert(Node(id: "z", namespace: "ns", .memory(Memory(kind: .semantic, text: "zero", importance: -0.0))))
        #expect(try sample.store.reader().memories(in: "ns").map(\.id) == ["z"])
        #expect(try sample.store.reader().memories(in: "ns", kind: .semantic, minImportance: -0.0).map(\.id) == ["z"])
    }

    /// The same -0.0 trap in the vector filter: `VectorFilter(minImportance: 0)` took its
    /// candidates from the importance index starting at +0, so a memory of importance -0.0 was
    /// never a candidate and the search said the filter ran out (found by the graph model test
    /// when a crash point moved and the generator produced such a memory).
    @Test func aVectorFilterOnImportanceZeroFindsAMemoryOfImportanceNegativeZero() throws {
        let sample = try SampleGraph()
        try sample.store.define(EmbeddingSpace(name: "t", model: "test", dimension: 2, metric: .cosine))
        try sample.store.write { graph in
            try graph.insert(Node(id: "z", namespace: "ns", .memory(Memory(kind: .semantic, text: "zero", importance: -0.0))))
            try graph.insert(Node(id: "p", namespace: "ns", .memory(Memory(kind: .episodic, text: "half", importance: 0.5))))
            try graph.setVector([1, 0], for: "z", in: "t")
            try graph.setVector([0.6, 0.8], for: "p", in: "t")
        }
        let result = try sample.store.reader().nearest(
            to: [1, 0], k: 2, in: "t", namespace: "ns", filter: VectorFilter(minImportance: 0))
        #expect(result.hits.map(\.id) == ["z", "p"])
        #expect(!result.filterExhausted)
    }

    /// `Timestamp.validate` used `ClosedRange.contains`, which admits a NaN date (its `<=` is
    /// `!(>)`): a node created at NaN passed the checks and trapped converting the date to Int64.
    @Test func aNaNDateIsRefusedNotTrapped() throws {
        let sample = try SampleGraph()
        let nan = Date(timeIntervalSince1970: .nan)
        for node in [
            Node(id: "n", namespace: "ns", createdAt: nan, .conversation(Conversation(title: "x"))),
            Node(id: "n", namespace: "ns", createdAt: sample.base, expiresAt: nan, .conversation(Conversation(title: "x"))),
        ] {
            let error = #expect(throws: StrataError.self) { try sample.store.insert(node) }
            #expect(error?.code == .invalidField)
        }
        let error = #expect(throws: StrataError.self) { try sample.store.recordAccess("m1", at: nan) }
        #expect(error?.code == .invalidField)
        #expect(try sample.store.node("n") == nil)
    }

    /// While an expired node awaited the sweep, `node(_:)` counted an entity's mentions from
    /// visible nodes only, but the list queries (`nodes(in:)`, `mentions(of:)`, …) and a vector
    /// search's predicate saw the stored counter, mentions from the expired node included.
    @Test func listQueriesCountOnlyVisibleMentionsWhileExpiredNodesAwaitTheSweep() throws {
        let sample = try SampleGraph()
        let soon = sample.base.addingTimeInterval(100)
        try sample.store.write { graph in
            try graph.insert(Node(id: "brief", namespace: "ns", createdAt: sample.base, expiresAt: soon, .entity(Entity(type: .concept, name: "Brief"))))
            try graph.addEdge(Edge(from: "brief", type: .mentions, to: sample.paris, validFrom: sample.base))
        }
        try sample.store.define(EmbeddingSpace(name: "text", model: "test", dimension: 2, metric: .l2))
        try sample.store.setVector([1, 0], for: sample.paris, in: "text")
        let before = try sample.store.reader(at: sample.base.addingTimeInterval(50))
        #expect(try before.node(sample.paris)?.entity?.mentionCount == 3)
        let reader = try sample.store.reader(at: soon)
        #expect(try reader.node(sample.paris)?.entity?.mentionCount == 2)
        #expect(try reader.nodes(in: "ns", kind: .entity).map { $0.entity?.mentionCount } == [2])
        let filter = VectorFilter(predicate: { $0.entity?.mentionCount == 2 })
        #expect(try reader.nearest(to: [1, 0], k: 1, in: "text", namespace: "ns", filter: filter).hits.map(\.id) == [sample.paris])
    }
}
