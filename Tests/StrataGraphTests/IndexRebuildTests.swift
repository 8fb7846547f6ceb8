import Foundation
import StrataEngine
@testable import StrataGraph
import StrataTestSupport
import Testing

@Suite struct IndexRebuildTests {
    @Test func rebuildInSmallBatchesRestoresEveryDerivedEntry() throws {
        let sample = try SampleGraph()
        try sample.store.define(EmbeddingSpace(name: "text", model: "test", dimension: 2, metric: .l2))
        try sample.store.setVector([1, 2], for: "m1", in: "text")
        try sample.store.invalidateEdge(from: "m3", type: .mentions, to: sample.paris, at: sample.base.addingTimeInterval(10))
        let before = try dump(sample.store)
        let report = try sample.store.rebuildIndexes(batchSize: 2)
        #expect(report.isSound, "\(report.problems)")
        #expect(try dump(sample.store) == before)
        #expect(try !sample.store.hasInterruptedRebuild)
        #expect(throws: StrataError.self) { try sample.store.rebuildIndexes(batchSize: 0) }
    }

    @Test func aRebuildCutShortIsFinishedAtTheNextOpen() throws {
        let sample = try SampleGraph()
        let before = try dump(sample.store)
        // The state a crash leaves after the node phase: incoming entries and counters cleared,
        // the progress saying "edges next".
        let trees = sample.store.trees
        try sample.store.database.write { tx in
            try tx.clear(trees.incoming)
            try tx.clear(trees.degrees)
            try tx.insert(
                IndexRebuild.Progress(phase: .edges, after: nil).encode(), forKey: IndexRebuild.progressKey, in: trees.meta)
        }
        #expect(try !sample.store.verify().isSound)
        #expect(try sample.store.hasInterruptedRebuild)
        try sample.store.close()
        let reopened = try MemoryStore.open(at: sample.directory.path)
        #expect(try reopened.verify().isSound)
        #expect(try !reopened.hasInterruptedRebuild)
        #expect(try dump(reopened) == before)
        try reopened.close()
    }

    /// Every graph tree's entries, except the meta tree.
    func dump(_ store: MemoryStore) throws -> [String: [Entry]] {
        let snapshot = try store.database.snapshot()
        var result: [String: [Entry]] = [:]
        for name in GraphTrees.names where name != "graph.meta" {
            var cursor = try #require(snapshot.tree(named: name)).range(.unbounded, .unbounded, reverse: false)
            result[name] = try cursor.collect()
        }
        return result
    }
}
