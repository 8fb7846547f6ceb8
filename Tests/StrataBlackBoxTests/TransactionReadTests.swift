import Foundation
import StrataEngine
import Testing

/// Issue 9 item 2: `tx[tree]` reads see the transaction's own inserts, removes and clears.
@Suite struct TransactionReadTests {
    func key(_ i: Int) -> [UInt8] { bytes("k" + String(format: "%03d", i)) }

    /// A tree holding the even keys 0 ... 18 (value "c<i>").
    func seeded() throws -> (TemporaryDatabase, Database, Tree) {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        try db.write { tx in for i in stride(from: 0, to: 20, by: 2) { try tx.insert(bytes("c\(i)"), forKey: key(i), in: tree) } }
        return (temp, db, tree)
    }

    @Test func readsSeeInsertsRemovesAndOverwrites() throws {
        let (temp, db, tree) = try seeded()
        defer { withExtendedLifetime(temp) {} }
        try db.write { tx in
            let view = tx[tree]
            try view.insert(bytes("p1"), forKey: key(1))        // new, between committed keys
            try view.insert(bytes("p4"), forKey: key(4))        // overwrite
            try view.remove(key(0))                              // remove the first committed key
            try view.remove(key(18))                             // remove the last committed key
            try view.remove(key(7))                              // remove an absent key
            try view.insert(bytes("p25"), forKey: key(25))       // new, after the end
            try view.insert(bytes("p9"), forKey: key(9))
            try view.remove(key(9))                              // insert then remove in one transaction
            try view.remove(key(10))
            try view.insert(bytes("p10"), forKey: key(10))       // remove then insert again

            #expect(try view.get(key(1)) == bytes("p1"))
            #expect(try view.get(key(4)) == bytes("p4"))
            #expect(try view.get(key(0)) == nil)
            #expect(try view.get(key(9)) == nil)
            #expect(try view.get(key(10)) == bytes("p10"))
            #expect(try view.get(key(2)) == bytes("c2"))
            #expect(try view.contains(key(18)) == false)
            #expect(try view.contains(key(25)))
            #expect(try view.withValue(forKey: key(4)) { $0.map { Array($0) } } == bytes("p4"))

            let expected = [1, 2, 4, 6, 8, 10, 12, 14, 16, 25]
            #expect(try view.count == expected.count)
            #expect(try !view.isEmpty)
            #expect(try allEntries(view).map(\.key) == expected.map(key))
            #expect(try Array(view.scan(prefix: bytes("k"), reverse: true)).map(\.key) == expected.reversed().map(key))
            #expect(try view.first()?.key == key(1))
            #expect(try view.first()?.value == bytes("p1"))
            #expect(try view.last()?.key == key(25))
            #expect(try Array(view.range(from: key(4), to: key(12))).map(\.key) == [4, 6, 8, 10].map(key))
            #expect(try Array(view.range(.excluded(key(4)), .included(key(12)), reverse: true)).map(\.key) == [12, 10, 8, 6].map(key))
            #expect(try view.count(.included(key(2)), .excluded(key(10))) == 4)
            #expect(try view.count(prefix: bytes("k00")) == 5)   // 1 2 4 6 8 (0 removed, 9 inserted then removed)
            #expect(try view.count(prefix: bytes("k01")) == 4)   // 10 12 14 16 (18 removed)

            var cursor = try view.scan(prefix: bytes("k"))
            try cursor.seek(to: key(11))
            #expect(try cursor.next()?.key == key(12))
            try cursor.seek(to: key(3))
            #expect(try cursor.next()?.key == key(4))
            #expect(try cursor.countRemaining() == 7)   // 6 8 10 12 14 16 25

            // A committed read of the tree itself does not see the pending writes.
            #expect(try tree.get(key(1)) == nil)
            #expect(try tree.count == 10)
        }
        #expect(try allEntries(tree).map(\.key) == [1, 2, 4, 6, 8, 10, 12, 14, 16, 25].map(key))
        #expect(try tree.get(key(10)) == bytes("p10"))
        try db.close()
    }

    @Test func readsAfterAClearInTheSameTransaction() throws {
        let (temp, db, tree) = try seeded()
        defer { withExtendedLifetime(temp) {} }
        try db.write { tx in
            let view = tx[tree]
            try view.insert(bytes("before"), forKey: key(3))
            try view.clear()
            #expect(try view.count == 0)
            #expect(try view.isEmpty)
            #expect(try view.first() == nil)
            #expect(try view.last() == nil)
            #expect(try view.get(key(2)) == nil)
            #expect(try view.get(key(3)) == nil)
            #expect(try allEntries(view).isEmpty)
            try view.insert(bytes("after"), forKey: key(2))
            try view.insert(bytes("new"), forKey: key(5))
            #expect(try view.count == 2)
            #expect(try view.get(key(4)) == nil, "a committed key stays cleared")
            #expect(try view.contains(key(4)) == false)
            #expect(try allEntries(view).map(\.key) == [key(2), key(5)])
            #expect(try Array(view.scan(prefix: bytes("k"), reverse: true)).map(\.key) == [key(5), key(2)])
            #expect(try view.first()?.value == bytes("after"))
            #expect(try view.last()?.key == key(5))
            #expect(try view.count(prefix: bytes("k00")) == 2)
        }
        #expect(try allEntries(tree).map(\.key) == [key(2), key(5)])
        #expect(try tree.count == 2)
        try db.close()
    }

    @Test func aThrowingTransactionLeavesNothing() throws {
        let (temp, db, tree) = try seeded()
        defer { withExtendedLifetime(temp) {} }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try db.write { tx in
                try tx[tree].clear()
                try tx[tree].insert(bytes("x"), forKey: key(99))
                throw Abort()
            }
        }
        #expect(try tree.count == 10)
        #expect(try tree.get(key(99)) == nil)
        try db.close()
    }

    @Test func aTransactionEscapingItsClosureIsClosed() throws {
        let (temp, db, tree) = try seeded()
        defer { withExtendedLifetime(temp) {} }
        nonisolated(unsafe) var escaped: Transaction?
        try db.write { tx in escaped = tx }
        let tx = try #require(escaped)
        expectCode(.closed) { try tx.insert(bytes("x"), forKey: key(1), in: tree) }
        expectCode(.closed) { _ = try tx[tree].get(key(2)) }
        #expect(try tree.get(key(1)) == nil)
        try db.close()
    }

    @Test func aTreeCreatedInTheTransactionIsReadable() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        try db.write { tx in
            let fresh = try tx.tree("fresh")
            #expect(try tx[fresh].count == 0)
            try tx.insert(bytes("v"), forKey: bytes("k"), in: fresh)
            #expect(try tx[fresh].count == 1)
            #expect(try allEntries(tx[fresh]).map(\.value) == [bytes("v")])
        }
        #expect(try db.tree("fresh").get(bytes("k")) == bytes("v"))
        try db.close()
    }

    /// Random writes and reads inside transactions against a dictionary model.
    @Test func randomReadsMatchAModel() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("model")
        var committed: [Int: Int] = [:]
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<25 {
            var model = committed
            try db.write { tx in
                let view = tx[tree]
                for _ in 0..<40 {
                    let k = next(60)
                    switch next(10) {
                    case 0...4: let v = next(1000); try view.insert(bytes("\(v)"), forKey: key(k)); model[k] = v
                    case 5...7: try view.remove(key(k)); model[k] = nil
                    case 8: if next(8) == 0 { try view.clear(); model = [:] }
                    default:
                        let (a, b) = (next(60), next(60))
                        let (lo, hi) = (min(a, b), max(a, b))
                        let expected = model.keys.filter { $0 >= lo && $0 < hi }.sorted()
                        #expect(try Array(view.range(from: key(lo), to: key(hi))).map(\.key) == expected.map(key))
                        #expect(try Array(view.range(from: key(lo), to: key(hi), reverse: true)).map(\.key) == expected.reversed().map(key))
                    }
                    #expect(try view.get(key(k)) == model[k].map { bytes("\($0)") })
                    #expect(try view.count == model.count)
                    #expect(try view.first()?.key == model.keys.min().map(key))
                    #expect(try view.last()?.key == model.keys.max().map(key))
                }
            }
            committed = model
            #expect(try allEntries(tree).map(\.key) == committed.keys.sorted().map(key))
        }
        try db.close()
    }
}
