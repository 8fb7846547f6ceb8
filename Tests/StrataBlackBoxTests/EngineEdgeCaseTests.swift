import Foundation
import StrataEngine
import Testing

/// Smaller engine promises an adopter relies on.
@Suite struct EngineEdgeCaseTests {
    @Test func snapshotsNamesCursorsAndSwaps() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        for i in 0..<10 { try tree.insert([UInt8(i)], forKey: bytes("k\(i)")) }
        let snapshot = try db.snapshot()
        let later = try db.tree("later")
        #expect(snapshot.tree(named: "later") == nil)
        expectCode(.notFound, "a tree created after the snapshot") { _ = try snapshot[later].count }
        #expect(snapshot.treeNames == ["t"])
        try tree.insert(bytes("new"), forKey: bytes("k0"))
        #expect(try snapshot[tree].get(bytes("k0")) == [0], "the snapshot keeps its commit")

        var cursor = try tree.scan(prefix: bytes("k"))
        #expect(try cursor.collect(limit: 4).count == 4)
        #expect(try cursor.collect(limit: 4).map(\.key) == [4, 5, 6, 7].map { bytes("k\($0)") }, "the next page")
        #expect(try cursor.collect().count == 2)
        var mapped = try tree.scan(prefix: bytes("k")).filter { $0.value.count == 1 }.map(\.key)
        #expect(try mapped.next() == bytes("k1"))

        #expect(try tree.compareAndSwap(bytes("k1"), expected: [9], new: [2]) == .mismatch(current: [1]))
        #expect(try tree.compareAndSwap(bytes("k1"), expected: [1], new: nil) == .swapped)
        #expect(try tree.get(bytes("k1")) == nil)
        #expect(try tree.compareAndSwap(bytes("k1"), expected: nil, new: [3]) == .swapped)
        #expect(try tree.updateAndFetch(bytes("k1")) { ($0 ?? []) + [4] } == [3, 4])

        expectCode(.invalidArgument, "empty tree name") { _ = try db.tree("") }
        expectCode(.invalidArgument, "tree name over 255 bytes") { _ = try db.tree(String(repeating: "x", count: 256)) }
        expectCode(.invalidArgument, "reserved name") { _ = try db.tree("__strata_x") }
        #expect(try db.treeNames() == ["later", "t"])
        try db.close()
    }

    @Test func aTreeRemoveOfAnAbsentKeyIsNotACommit() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        let before = try db.snapshot().sequence
        #expect(try tree.remove(bytes("absent")) == nil)
        // Observed and reported: `Tree.remove` of an absent key commits nothing (the feed has no
        // entry for it), while a transaction's remove of an absent key is logged and fed.
        #expect(try db.snapshot().sequence == before)
        try db.write { tx in try tx.remove(bytes("absent"), from: tree) }
        #expect(try db.snapshot().sequence == before + 1)
        try db.close()
    }
}
