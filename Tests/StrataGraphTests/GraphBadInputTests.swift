import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import Testing

/// One bad input through the public API, and the code it must throw.
struct BadInputRow: Sendable, CustomTestStringConvertible {
    enum Call: Sendable {
        /// A write in a transaction.
        case write(@Sendable (GraphTransaction) throws -> Void)
        /// A query on a reader.
        case read(@Sendable (GraphReader) throws -> Void)
        /// A call on the store itself.
        case store(@Sendable (MemoryStore) throws -> Void)
    }

    let name: String
    let code: StrataError.Code
    let call: Call

    var testDescription: String { "\(name) → \(code)" }

    static func write(_ name: String, _ code: StrataError.Code, _ body: @escaping @Sendable (GraphTransaction) throws -> Void) -> Self {
        Self(name: name, code: code, call: .write(body))
    }

    static func read(_ name: String, _ code: StrataError.Code, _ body: @escaping @Sendable (GraphReader) throws -> Void) -> Self {
        Self(name: name, code: code, call: .read(body))
    }

    static func store(_ name: String, _ code: StrataError.Code, _ body: @escaping @Sendable (MemoryStore) throws -> Void) -> Self {
        Self(name: name, code: code, call: .store(body))
    }
}

/// Every row of ``BadInputRows/all`` throws its exact `StrataError.Code`, leaves every graph
/// tree byte for byte as it was, and (for writes) a transaction that catches the error still
/// commits its other work.
@Suite struct GraphBadInputTests {
    /// The graph layer's trees (`GraphTrees.names`).
    static let treeNames = [
        "graph.nodes", "graph.versions", "graph.edges", "graph.edges.in", "graph.index", "graph.embeddings",
        "graph.spaces", "graph.access", "graph.meta",
    ]

    /// Every entry of every graph tree, read on one snapshot of the store's database.
    static func dump(_ store: MemoryStore) throws -> [String: [[UInt8]]] {
        let snapshot = try store.database.snapshot()
        var trees: [String: [[UInt8]]] = [:]
        for name in treeNames {
            let tree = try #require(try store.database.existingTree(name), "tree \(name)")
            var cursor = try snapshot[tree].range(.unbounded, .unbounded)
            var entries: [[UInt8]] = []
            while let entry = try cursor.next() { entries += [entry.key, entry.value] }
            trees[name] = entries
        }
        return trees
    }

    /// The sample graph, plus a memory, a custom node, a node in another namespace, an embedding
    /// space with a vector, a version and an access count, so that every tree holds something.
    static func fixture() throws -> SampleGraph {
        let sample = try SampleGraph()
        try sample.store.write { graph in
            try graph.insert(Node(id: "mem1", namespace: "ns", createdAt: sample.base, .memory(Memory(kind: .semantic, text: "likes Paris", importance: 0.7, source: "m1"))))
            try graph.insert(Node(id: "task1", namespace: "ns", createdAt: sample.base, .custom(CustomNode(kind: "task", properties: ["n": 1], owner: "c1"))))
            try graph.insert(Node(id: "c2", namespace: "ns", createdAt: sample.base, .conversation(Conversation(title: "second"))))
            try graph.insert(Node(id: "o1", namespace: "other", createdAt: sample.base, .conversation(Conversation(title: "elsewhere"))))
            try graph.define(EmbeddingSpace(name: "text", model: "test", dimension: 2, metric: .cosine))
            try graph.setVector([1, 0], for: "m1", in: "text")
            try graph.recordAccess("mem1", at: sample.base)
        }
        try sample.store.update("m1") { node in node.content = .message(Message(conversation: "c1", role: .user, text: "edited")) }
        return sample
    }

    @Test(arguments: BadInputRows.all)
    func badInputThrowsItsCodeAndChangesNothing(row: BadInputRow) throws {
        let sample = try Self.fixture()
        let store = sample.store
        let before = try Self.dump(store)
        func expectCode(_ body: () throws -> Void) {
            let error = #expect(throws: StrataError.self, "\(row.name)") { try body() }
            #expect(error?.code == row.code, "\(row.name): \(error.map { "\($0)" } ?? "no error")")
        }
        switch row.call {
        case .write(let body):
            expectCode { try store.write { try body($0) } }
            #expect(try Self.dump(store) == before, "\(row.name) changed the stored graph")
            // A transaction that catches the error commits the rest of its work.
            try store.write { graph in
                expectCode { try body(graph) }
                try graph.insert(Node(id: "after", namespace: "ns", createdAt: sample.base, .entity(Entity(type: .concept, name: "after"))))
            }
            #expect(try store.node("after") != nil, "\(row.name): the catching transaction's insert was lost")
            try store.write { graph in _ = try graph.delete("after") }
        case .read(let body):
            expectCode { try body(try store.reader()) }
        case .store(let body):
            expectCode { try body(store) }
        }
        #expect(try Self.dump(store) == before, "\(row.name) changed the stored graph")
        let report = try store.verify()
        #expect(report.isSound, "\(report.problems)")
    }
}
