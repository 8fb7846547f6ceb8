import StrataTestSupport
import Testing

@testable import StrataEngine

/// Calls that take the writer lock, made inside a `write` closure on the same thread, throw
/// `reentrantWrite` (they used to trap: "Recursive call to lock Mutex"); read-only calls work.
@Suite struct ReentrantWriteTests {
    @Test func writerLockCallsInsideAWriteClosureThrowReentrantWrite() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let tree = try db.tree("t")
        try tree.insert([1], forKey: [1])
        let rows: [(String, () throws -> Void)] = [
            ("db.write", { try db.write { tx in try tx.insert([2], forKey: [2], in: tree) } }),
            ("tree.insert", { try tree.insert([2], forKey: [2]) }),
            ("tree.remove", { try tree.remove([1]) }),
            ("tree.clear", { try tree.clear() }),
            ("tree.compareAndSwap", { try tree.compareAndSwap([1], expected: [1], new: [2]) }),
            ("tree.updateAndFetch", { try tree.updateAndFetch([1]) { _ in [2] } }),
            ("db.tree(new)", { _ = try db.tree("new") }),
            ("db.dropTree", { try db.dropTree("t") }),
            ("db.checkpoint", { try db.checkpoint() }),
            ("db.verify", { try db.verify() }),
            ("db.close", { try db.close() }),
        ]
        for (label, call) in rows {
            try db.write { tx in
                try tx.insert([3], forKey: [3], in: tree)
                let error = expectStrataError(.reentrantWrite, "\(label)", call)
                #expect(error?.message.contains("Transaction") == true)
                // Reads work inside the closure.
                #expect(try tree.get([1]) == [1])
                #expect(try db.tree("t") == tree, "db.tree of an existing tree does not write")
                #expect(try db.statistics().trees.count == 1)
                #expect(try db.snapshot()[tree].get([1]) == [1])
                try db.flush()
            }
        }
        // Every outer write committed; nothing inner did; the database is open and writable.
        #expect(try tree.get([3]) == [3])
        #expect(try tree.get([2]) == nil)
        #expect(try db.treeNames() == ["t"])
        #expect(try db.statistics().writesDisabled == false)
        try tree.insert([4], forKey: [4])
        try db.close()
        let reopened = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        #expect(try reopened.existingTree("t")?.count == 3)
        try reopened.close()
    }

    @Test func statisticsWorkInsideAWriteClosureAndSeeTheWriterState() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let tree = try db.tree("t")
        for i in 0..<200 { try tree.insert([UInt8](repeating: 1, count: 100), forKey: [UInt8(i)]) }
        let outside = try db.statistics()
        #expect(outside.dirtyBytes > 0 || outside.checkpointEpoch > 0)
        try db.write { _ in
            let inside = try db.statistics()
            #expect(inside.dirtyBytes == outside.dirtyBytes)
            #expect(inside.checkpointEpoch == outside.checkpointEpoch)
            #expect(inside.segments == outside.segments)
        }
        try db.checkpoint()
        let after = try db.statistics()
        #expect(after.dirtyBytes == 0)
        #expect(after.checkpointEpoch > outside.checkpointEpoch)
        try db.close()
    }
}
