import StrataTestSupport
import Testing

@testable import StrataEngine

/// A read that fails while a commit is being made (a clean page its put, remove, clear or drop
/// must edit) fails that commit before it is logged: writes stay enabled, committed data stays
/// readable, and a reopen shows exactly the commits that succeeded. It used to mark the whole
/// database closed.
@Suite struct CommitReadFailureTests {
    @Test func aFailedReadDuringACommitFailsOnlyThatCommit() throws {
        let base = MemoryFileSystem()
        let faulty = FaultInjectingFileSystem(wrapping: base)
        let configuration = EngineFixtures.smallConfiguration(faulty)
        let keys = (0..<300).map { Array("key-\($0)".utf8) }
        do {
            let db = try Database.open(at: "/db", configuration: configuration)
            let t = try db.tree("t")
            let u = try db.tree("u")
            try db.write { tx in
                for key in keys { try tx.insert(key + key, forKey: key, in: t) }
                try tx.insert([1], forKey: [1], in: u)
            }
            try db.close()
        }
        let db = try Database.open(at: "/db", configuration: configuration)
        let t = try #require(try db.existingTree("t"))
        let u = try #require(try db.existingTree("u"))
        var expected = ReferenceModel()
        expected.createTree("t")
        expected.createTree("u")
        for key in keys { expected.insert(key + key, forKey: key, in: "t") }
        expected.insert([1], forKey: [1], in: "u")
        /// Forgets every cached page, so that the next commit must read from the segments.
        func dropCache() throws {
            for segment in try db.statistics().segments { db.store.cache.removeSegment(segment.id) }
        }
        let sequence = try db.statistics().sequence
        // Every page is clean after the reopen, so the commit must read the ones it edits:
        // each time, the next read fails. Write-only batches: the body itself reads nothing.
        let batches: [(String, (Transaction) throws -> Void)] = [
            ("put", { tx in try tx.insert([9], forKey: keys[7], in: t) }),
            ("two trees", { tx in
                try tx.insert([2], forKey: [2], in: u)
                try tx.insert([9], forKey: keys[200], in: t)
            }),
            ("remove", { tx in try tx.remove(keys[100], from: t) }),
            ("clear", { tx in try tx.clear(t) }),
        ]
        for (label, body) in batches {
            try dropCache()
            faulty.addRule(.init(.read, .nth(1), fault: .ioError))
            expectStrataError(.ioFailure, "\(label)") { try db.write(durability: .synced) { tx in try body(tx) } }
            #expect(faulty.injectedFaultCount > 0, "\(label)")
            faulty.removeAllRules()
            #expect(try db.statistics().writesDisabled == false, "\(label)")
            #expect(try db.statistics().sequence == sequence, "\(label): nothing was logged")
            #expect(try EngineFixtures.contents(of: db) == expected, "\(label)")
        }
        // The same batches go through once reads work again.
        try db.write(durability: .synced) { tx in
            try tx.insert([9], forKey: keys[7], in: t)
            try tx.insert([2], forKey: [2], in: u)
            try tx.remove(keys[100], from: t)
        }
        expected.insert([9], forKey: keys[7], in: "t")
        expected.insert([2], forKey: [2], in: "u")
        expected.remove(keys[100], from: "t")
        #expect(try EngineFixtures.contents(of: db) == expected)
        try db.checkpoint()
        #expect(try db.verify().keys == keys.count + 1)
        try db.close()

        let reopened = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(base))
        #expect(try EngineFixtures.contents(of: reopened) == expected)
        #expect(try reopened.verify().keys == keys.count + 1)
        try reopened.close()
    }
}
