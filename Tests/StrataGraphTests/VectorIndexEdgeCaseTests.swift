import Foundation
import StrataEngine
@_spi(Testing) @testable import StrataGraph
import StrataTestSupport
import Testing

/// The repair batches a write runs after its commit, as a crash campaign sees them, and a
/// read-only open of a store written before the vector index existed.
@Suite struct VectorIndexEdgeCaseTests {
    static let base = Date(timeIntervalSince1970: 1_700_000_000)

    /// A store with `count` messages "v<n>" with 4-dimensional vectors, in one transaction.
    static func fill(_ store: MemoryStore, count: Int) throws {
        try store.write { g in
            try g.define(EmbeddingSpace(name: "text", model: "test", dimension: 4, metric: .l2))
            try g.insert(Node(id: "chat", namespace: "ns", createdAt: base, .conversation(Conversation(title: "t"))))
            for index in 0..<count {
                try g.insert(Node(
                    id: NodeID("v\(index)"), namespace: "ns", createdAt: base,
                    .message(Message(conversation: "chat", role: .user, text: "m\(index)"))))
                let x = Float(index)
                try g.setVector([x, x * 0.5, -x, 1], for: NodeID("v\(index)"), in: "text")
            }
        }
    }

    /// A repair batch that cannot commit after its write did (here: the power goes between
    /// them; its commit is published in memory, its sync fails) is reported through
    /// `repairFailed`, not swallowed: the crash campaign counted it as a synced commit and
    /// acknowledged a commit that never reached the disk (issue 11's failing graph crash point).
    @Test func aRepairBatchThatFailsAfterItsWriteIsReported() throws {
        let fileSystem = CrashSimulatingFileSystem()
        let db = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: fileSystem))
        let store = try MemoryStore(database: db, configuration: VectorFixture.configuration(threshold: 0.01, repairBatch: 4))
        try Self.fill(store, count: 30)
        var repairs = 0
        var failures: [any Error] = []
        _ = try store.write(durability: .synced, beforeEachRepair: {
            repairs += 1
            fileSystem.crashAfterOperations = fileSystem.operationCount
        }, repairFailed: { failures.append($0) }) { g in
            try g.delete("v3")
        }
        #expect(repairs == 1, "the delete made a repair due")
        #expect(failures.count == 1)
        #expect((failures.first as? StrataError).map { [.ioFailure, .writesDisabled].contains($0.code) } == true, "\(failures)")
    }

    /// The same through `expire`: its deletes make repairs due, and the hooks see them.
    @Test func expireReportsItsRepairBatches() throws {
        let fileSystem = CrashSimulatingFileSystem()
        let db = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: fileSystem))
        let store = try MemoryStore(database: db, configuration: VectorFixture.configuration(threshold: 0.01, repairBatch: 4))
        try Self.fill(store, count: 30)
        try store.write { g in
            try g.insert(Node(
                id: "brief", namespace: "ns", createdAt: Self.base, expiresAt: Self.base.addingTimeInterval(10),
                .memory(Memory(kind: .working, text: "soon gone"))))
            try g.setVector([1, 2, 3, 4], for: "brief", in: "text")
        }
        let before = try db.snapshot().sequence
        var repairs = 0
        var failures = 0
        #expect(try store.expire(now: Self.base.addingTimeInterval(60), beforeEachRepair: { repairs += 1 }, repairFailed: { _ in failures += 1 }) == 1)
        #expect(repairs == 1 && failures == 0)
        #expect(try db.snapshot().sequence == before + 2, "the sweep and its repair batch")
    }

    /// A store written before the index existed (no `graph.hnsw` tree) opens read-only: searches
    /// compare exactly, no graph is reported, verify holds; the first writable open builds it.
    @Test func aStoreWithoutTheIndexTreeOpensReadOnly() throws {
        let directory = try TemporaryDirectory()
        let configuration = VectorFixture.configuration()
        let store = try MemoryStore.open(at: directory.path, configuration: configuration)
        try Self.fill(store, count: 40)
        let query: [Float] = [7.2, 3.5, -7, 1]
        let expected = try store.reader().exactNearest(to: query, k: 5, in: "text", namespace: "ns").hits.map(\.id)
        #expect(try store.database.dropTree("graph.hnsw", owner: GraphTrees.owner))
        try store.close()

        var readOnly = configuration
        readOnly.engine.readOnly = true
        let opened = try MemoryStore.open(at: directory.path, configuration: readOnly)
        #expect(try opened.vectorIndexStatistics().isEmpty)
        #expect(try opened.statistics().vectorIndexes.isEmpty)
        #expect(try opened.verify().isSound)
        let reader = try opened.reader()
        #expect(try reader.nearest(to: query, k: 5, in: "text", namespace: "ns").hits.map(\.id) == expected)
        #expect(try reader.nearest(to: query, k: 3, in: "text", namespace: "ns", filter: VectorFilter(kinds: [.message])).hits.count == 3)
        #expect(throws: StrataError.self) { try opened.write { try $0.delete("v1") } }
        try opened.close()

        let writable = try MemoryStore.open(at: directory.path, configuration: configuration)
        #expect(try writable.vectorIndexStatistics().first?.live == 40)
        #expect(try writable.reader().nearest(to: query, k: 5, in: "text", namespace: "ns").hits.map(\.id) == expected)
        try writable.close()
    }
}
