import StrataTestSupport
import Testing

@testable import StrataEngine

/// A read that fails inside a transaction (here: `EIO` reading a page after a reopen) throws
/// out of `write`, discards the whole transaction, and leaves writes enabled (RECOVERY.md,
/// "What a failed write or fsync does"). `fault-campaign --seed 33` met this case.
@Suite struct TransactionReadFailureTests {
    @Test func aFailedReadDiscardsTheTransactionAndLeavesWritesEnabled() throws {
        let base = MemoryFileSystem()
        let faulty = FaultInjectingFileSystem(wrapping: base)
        var configuration = Database.Configuration(fileSystem: faulty)
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        let keys = (0..<50).map { Array("key-\($0)".utf8) }
        do {
            let db = try Database.open(at: "/db", configuration: configuration)
            let t = try db.tree("t")
            let u = try db.tree("u")
            try db.write(durability: .synced) { tx in
                for key in keys { try tx.insert(key, forKey: key, in: t) }
                try tx.insert([1], forKey: [1], in: u)
            }
            try db.close()
        }
        let db = try Database.open(at: "/db", configuration: configuration)
        let t = try #require(try db.existingTree("t"))
        let u = try #require(try db.existingTree("u"))

        // The next read call fails: the page that `get` needs.
        faulty.addRule(.init(.read, .nth(1), fault: .ioError))
        let error = #expect(throws: StrataError.self) {
            try db.write { tx in
                try tx.insert([2], forKey: [2], in: u)
                let old = try tx[t].get(keys[7])
                try tx.insert((old ?? []) + [9], forKey: keys[7], in: t)
            }
        }
        #expect(error?.code == .ioFailure)
        #expect(faulty.injectedFaultCount == 1)
        #expect(try db.statistics().writesDisabled == false)
        #expect(try u.get([2]) == nil, "the insert before the failed read was discarded")
        #expect(try t.get(keys[7]) == keys[7])

        // The same transaction goes through now that reads work.
        try db.write(durability: .synced) { tx in
            try tx.insert([3], forKey: [3], in: u)
            let old = try tx[t].get(keys[7])
            try tx.insert((old ?? []) + [9], forKey: keys[7], in: t)
        }
        try db.close()

        let reopened = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: base))
        let t2 = try #require(try reopened.existingTree("t"))
        let u2 = try #require(try reopened.existingTree("u"))
        #expect(try t2.get(keys[7]) == keys[7] + [9])
        #expect(try t2.count == keys.count)
        #expect(try u2.get([1]) == [1])
        #expect(try u2.get([2]) == nil)
        #expect(try u2.get([3]) == [3])
        #expect(try reopened.verify().keys == keys.count + 2)
        try reopened.close()
    }
}
