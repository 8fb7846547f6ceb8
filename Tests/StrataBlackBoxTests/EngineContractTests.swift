import Foundation
import StrataEngine
import Testing

/// Issue 9 item 1 and 5 as an adopter meets them: re-entrant calls, reads after close, the batch
/// bound, read-only opens.
@Suite struct EngineContractTests {
    @Test func reentrantCallsThrowAndTheTransactionGoesOn() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        let other = try db.tree("other")
        try tree.insert(bytes("v"), forKey: bytes("k"))
        try db.write { tx in
            try tx.insert(bytes("1"), forKey: bytes("a"), in: tree)
            expectCode(.reentrantWrite, "db.write") { try db.write { _ in } }
            expectCode(.reentrantWrite, "tree.insert") { _ = try tree.insert(bytes("x"), forKey: bytes("x")) }
            expectCode(.reentrantWrite, "tree.remove") { _ = try tree.remove(bytes("k")) }
            expectCode(.reentrantWrite, "tree.clear") { try tree.clear() }
            expectCode(.reentrantWrite, "compareAndSwap") { _ = try tree.compareAndSwap(bytes("k"), expected: bytes("v"), new: nil) }
            expectCode(.reentrantWrite, "updateAndFetch") { _ = try tree.updateAndFetch(bytes("k")) { $0 } }
            expectCode(.reentrantWrite, "db.tree creating") { _ = try db.tree("new") }
            expectCode(.reentrantWrite, "dropTree") { _ = try db.dropTree("other") }
            expectCode(.reentrantWrite, "checkpoint") { _ = try db.checkpoint() }
            expectCode(.reentrantWrite, "close") { try db.close() }
            // Reads, snapshots, statistics, flush and looking up an existing tree work.
            #expect(try tree.get(bytes("k")) == bytes("v"))
            #expect(try tree.get(bytes("a")) == nil, "the latest commit, not the transaction")
            #expect(try db.snapshot()[tree].count == 1)
            _ = try db.statistics()
            try db.flush()
            #expect(try db.tree("other") == other)
            #expect(try db.treeNames() == ["other", "t"])
            try tx.insert(bytes("2"), forKey: bytes("b"), in: tree)
        }
        #expect(try allEntries(tree).map(\.key) == [bytes("a"), bytes("b"), bytes("k")])
        #expect(try db.existingTree("new") == nil)
        #expect(try db.existingTree("other") != nil)
        try db.close()
    }

    @Test func everyReadAfterCloseThrowsClosed() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        try db.write { tx in for i in 0..<500 { try tx.insert([UInt8](repeating: 1, count: 100), forKey: bytes("k\(1000 + i)"), in: tree) } }
        let snapshot = try db.snapshot()
        var cursor = try tree.scan(prefix: bytes("k"))
        var snapshotCursor = try snapshot[tree].scan(prefix: bytes("k"))
        _ = try cursor.next()
        try db.close()
        try db.close()   // twice is harmless
        expectCode(.closed, "tree.get") { _ = try tree.get(bytes("k1000")) }
        expectCode(.closed, "tree.contains") { _ = try tree.contains(bytes("k1000")) }
        expectCode(.closed, "tree.count") { _ = try tree.count }
        expectCode(.closed, "tree.scan") { var fresh = try tree.scan(prefix: bytes("k")); _ = try fresh.next() }
        expectCode(.closed, "cursor made before close") { _ = try cursor.next() }
        expectCode(.closed, "snapshot cursor") { _ = try snapshotCursor.next() }
        expectCode(.closed, "snapshot get") { _ = try snapshot[tree].get(bytes("k1000")) }
        expectCode(.closed, "snapshot count") { _ = try snapshot[tree].count }
        expectCode(.closed, "db.snapshot") { _ = try db.snapshot() }
        expectCode(.closed, "db.read") { try db.read { _ in } }
        expectCode(.closed, "db.tree") { _ = try db.tree("t") }
        expectCode(.closed, "treeNames") { _ = try db.treeNames() }
        expectCode(.closed, "write") { try db.write { _ in } }
        expectCode(.closed, "insert") { _ = try tree.insert(bytes("v"), forKey: bytes("k")) }
        expectCode(.closed, "flush") { try db.flush() }
        // And the data is intact for the next open.
        let reopened = try temp.open()
        #expect(try reopened.tree("t").count == 500)
        try reopened.close()
    }

    @Test func aWriteThatWouldCrossTheBatchBoundIsRefusedAndTheRestCommits() throws {
        let temp = try TemporaryDatabase()
        let big = [UInt8](repeating: 0xAB, count: 25 << 20)
        do {
            let db = try temp.open()
            let tree = try db.tree("t")
            expectCode(.invalidArgument, "a value over maxValueLength") {
                _ = try tree.insert([UInt8](repeating: 0, count: Limits.maxValueLength + 1), forKey: bytes("huge"))
            }
            expectCode(.invalidArgument, "a key over maxKeyLength") {
                _ = try tree.insert(bytes("v"), forKey: [UInt8](repeating: 1, count: Limits.maxKeyLength + 1))
            }
            expectCode(.invalidArgument, "an empty key") { _ = try tree.insert(bytes("v"), forKey: []) }
            try db.write(durability: .synced) { tx in
                #expect(tx.encodedByteCount < 1024)
                try tx.insert(big, forKey: bytes("first"), in: tree)
                let size = tx.encodedByteCount
                let operations = tx.operationCount
                #expect(size > big.count && size <= Limits.maxBatchBytes)
                #expect(operations == 1)
                expectCode(.invalidArgument, "second 25 MiB value crosses 48 MiB") { try tx.insert(big, forKey: bytes("second"), in: tree) }
                #expect(tx.encodedByteCount == size, "nothing recorded")
                #expect(tx.operationCount == operations)
                #expect(try tx[tree].get(bytes("second")) == nil)
                try tx.insert(bytes("small"), forKey: bytes("small"), in: tree)
            }
            #expect(try tree.get(bytes("first"))?.count == big.count)
            #expect(try tree.get(bytes("second")) == nil)
            try db.close()
        }
        let db = try temp.open()
        let tree = try db.tree("t")
        #expect(try tree.get(bytes("first")) == big, "the acknowledged batch survives reopen")
        #expect(try tree.get(bytes("small")) == bytes("small"))
        #expect(try tree.count == 2)
        try db.close()
    }

    /// The files of a database directory and their sizes and contents' digests.
    func fingerprint(_ path: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path + "/" + name))
            result[name] = Array(data)
        }
        return result
    }

    @Test func readOnlyOpensWriteNothing() throws {
        let temp = try TemporaryDatabase()
        do {
            let db = try temp.open()
            let tree = try db.tree("t")
            for i in 0..<50 { try tree.insert(bytes("v\(i)"), forKey: bytes("k\(i)")) }
            try db.close()
        }
        let before = try fingerprint(temp.path)
        let readOnly: (inout Database.Configuration) -> Void = { $0.readOnly = true }
        let first = try temp.open(readOnly)
        let second = try temp.open(readOnly)   // a shared lock: many readers at once
        #expect(first.isReadOnly)
        expectCode(.locked, "a writer while readers hold it") { _ = try temp.open() }
        let tree = try first.tree("t")
        #expect(try tree.count == 50)
        #expect(try second.tree("t").get(bytes("k7")) == bytes("v7"))
        #expect(try first.snapshot()[tree].count == 50)
        expectCode(.readOnly, "insert") { _ = try tree.insert(bytes("x"), forKey: bytes("x")) }
        expectCode(.readOnly, "write") { try first.write { tx in try tx.insert(bytes("x"), forKey: bytes("x"), in: tree) } }
        expectCode(.readOnly, "clear") { try tree.clear() }
        expectCode(.readOnly, "flush") { try first.flush() }
        expectCode(.readOnly, "checkpoint") { _ = try first.checkpoint() }
        expectCode(.readOnly, "creating a tree") { _ = try first.tree("new") }
        expectCode(.readOnly, "dropTree") { _ = try first.dropTree("t") }
        #expect(try first.existingTree("new") == nil)
        try first.close()
        try second.close()
        #expect(try fingerprint(temp.path) == before, "no file written, created or deleted")
    }

    @Test func readOnlyOpenSeesACommitStillOnlyInTheWAL() throws {
        let temp = try TemporaryDatabase()
        let writer = try temp.open { $0.checkpointInterval = nil }
        let tree = try writer.tree("t")
        try tree.insert(bytes("v"), forKey: bytes("k"), durability: .synced)
        expectCode(.locked, "a read-only open while a writer holds it") { _ = try temp.open { $0.readOnly = true } }
        let view = try temp.open { $0.readOnly = true; $0.readOnlyIgnoresWriter = true }
        #expect(try view.tree("t").get(bytes("k")) == bytes("v"), "the WAL is replayed in memory")
        try view.close()
        try tree.insert(bytes("w"), forKey: bytes("k2"))
        try writer.close()
    }

    @Test func missingDatabasesAreNotCreatedWhenNotAllowed() throws {
        let temp = try TemporaryDatabase()
        expectCode(.notFound, "readOnly on a missing path") { _ = try temp.open { $0.readOnly = true } }
        expectCode(.notFound, "createIfMissing false") { _ = try temp.open { $0.createIfMissing = false } }
        #expect(!FileManager.default.fileExists(atPath: temp.path))
        try FileManager.default.createDirectory(atPath: temp.path, withIntermediateDirectories: true)
        expectCode(.notFound, "an empty directory is no database") { _ = try temp.open { $0.createIfMissing = false } }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.path).isEmpty)
        expectCode(.invalidArgument, "readOnlyIgnoresWriter without readOnly") { _ = try temp.open { $0.readOnlyIgnoresWriter = true } }
    }
}
