import StrataTestSupport
import Testing

@testable import StrataEngine

/// A `Tree` handle outlives its tree: writes through it after a drop (or a drop and a
/// re-creation under the same name) throw `notFound`, log nothing and leave writes enabled.
@Suite struct DroppedTreeHandleTests {
    @Test func writesThroughTheHandleOfADroppedTreeThrowNotFoundAndLogNothing() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: BatchBoundTests.walOnlyConfiguration(fs))
        let kept = try db.tree("kept")
        try kept.insert([1], forKey: [1])
        let doomed = try db.tree("doomed")
        try doomed.insert([2], forKey: [2])
        try db.dropTree("doomed")
        let sequence = try db.statistics().sequence
        let large = [UInt8](repeating: 3, count: 300 << 10)
        let rows: [(String, () throws -> Void)] = [
            ("tx.insert", { try db.write { tx in try tx.insert(large, forKey: [3], in: doomed) } }),
            ("tx.remove", { try db.write { tx in try tx.remove([2], from: doomed) } }),
            ("tx.clear", { try db.write { tx in try tx.clear(doomed) } }),
            ("tree.clear", { try doomed.clear() }),
            ("tree.insert", { try doomed.insert(large, forKey: [3]) }),
            ("tree.remove", { try doomed.remove([2]) }),
            ("after a good write in the same batch", {
                try db.write { tx in
                    try tx.insert([9], forKey: [9], in: kept)
                    try tx.insert(large, forKey: [3], in: doomed)
                }
            }),
        ]
        for (label, body) in rows {
            expectStrataError(.notFound, "\(label)", body)
        }
        // Dropped and re-created under the same name: a new tree, which the old handle is not.
        let reborn = try db.tree("doomed")
        expectStrataError(.notFound, "old handle after re-creation") {
            try db.write { tx in try tx.insert(large, forKey: [3], in: doomed) }
        }
        try reborn.insert([4], forKey: [4])
        let statistics = try db.statistics()
        #expect(statistics.writesDisabled == false)
        #expect(statistics.sequence == sequence + 2, "only the re-creation and the good insert were logged")
        var expected = ReferenceModel()
        expected.createTree("kept")
        expected.insert([1], forKey: [1], in: "kept")
        expected.createTree("doomed")
        expected.insert([4], forKey: [4], in: "doomed")
        #expect(try EngineFixtures.contents(of: db) == expected)
        try db.flush()
        let image = BatchBoundTests.crashImage(fs)
        try db.close()
        for files in [fs, image] {
            let reopened = try Database.open(at: "/db", configuration: BatchBoundTests.walOnlyConfiguration(files))
            #expect(try EngineFixtures.contents(of: reopened) == expected)
            try reopened.close()
        }
    }
}
