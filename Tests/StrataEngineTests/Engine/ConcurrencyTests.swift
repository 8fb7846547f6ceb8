import Foundation
import StrataEngine
import StrataTestSupport
import Synchronization
import Testing

/// Readers on snapshots and cursors while a writer commits; many concurrent durable commits.
@Suite struct ConcurrencyTests {
    static let accounts = 40
    static let total = 40 * 1000

    static func account(_ i: Int) -> [UInt8] { Array("acct-\(i < 10 ? "0" : "")\(i)".utf8) }
    static func encode(_ n: Int) -> [UInt8] { withUnsafeBytes(of: Int64(n).littleEndian) { Array($0) } }
    static func decode(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { Int(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) }
    }

    /// The writer moves amounts between accounts in one batch (the sum never changes) and
    /// keeps a mirror tree equal to the accounts tree; readers check both invariants.
    @Test func readersSeeOnlyWholeBatches() async throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let accounts = try db.tree("accounts")
        let mirror = try db.tree("mirror")
        try await db.write { tx in
            for i in 0..<Self.accounts {
                try tx.insert(Self.encode(1000), forKey: Self.account(i), in: accounts)
                try tx.insert(Self.encode(1000), forKey: Self.account(i), in: mirror)
            }
        }
        let done = SharedCounter()
        let seed = SeededRandom.seedFromEnvironment() ?? 55
        let writer = Task.detached {
            var rng = SeededRandom(seed: seed)
            for step in 0..<600 {
                let from = Int.random(in: 0..<Self.accounts, using: &rng)
                let to = Int.random(in: 0..<Self.accounts, using: &rng)
                let amount = Int.random(in: 0...50, using: &rng)
                try db.write { tx in
                    let a = Self.decode(try tx[accounts].get(Self.account(from))!) - amount
                    try tx.insert(Self.encode(a), forKey: Self.account(from), in: accounts)
                    try tx.insert(Self.encode(a), forKey: Self.account(from), in: mirror)
                    let b = Self.decode(try tx[accounts].get(Self.account(to))!) + amount
                    try tx.insert(Self.encode(b), forKey: Self.account(to), in: accounts)
                    try tx.insert(Self.encode(b), forKey: Self.account(to), in: mirror)
                }
                if step % 150 == 149 { try db.checkpoint() }
            }
            done.value.store(1, ordering: .releasing)
        }
        let readers = (0..<3).map { reader in
            Task.detached { () throws -> Int in
                var checks = 0
                while done.value.load(ordering: .acquiring) == 0 || checks < 5 {
                    let snapshot = try db.snapshot()
                    var cursor = try snapshot[accounts].range(reverse: reader == 1)
                    let entries = try cursor.collect()
                    var mirrorCursor = try snapshot[mirror].range(.unbounded, .unbounded)
                    let mirrored = try mirrorCursor.collect()
                    #expect(entries.count == Self.accounts, "seed \(seed)")
                    #expect(entries.reduce(0) { $0 + Self.decode($1.value) } == Self.total, "seed \(seed)")
                    #expect(Set(entries.map(\.key)) == Set(mirrored.map(\.key)), "seed \(seed)")
                    for entry in mirrored {
                        #expect(try snapshot[accounts].get(entry.key) == entry.value, "seed \(seed)")
                    }
                    // A cursor on the live tree sees one commit too.
                    var live = try accounts.range(from: nil, to: nil)
                    #expect(try live.collect().reduce(0) { $0 + Self.decode($1.value) } == Self.total, "seed \(seed)")
                    checks += 1
                }
                return checks
            }
        }
        try await writer.value
        for reader in readers { #expect(try await reader.value >= 5) }
        try db.verify()
        try db.close()
    }

    /// Many threads commit durably at once (sharing fsyncs); every commit lands and survives.
    @Test func concurrentDurableCommitsAllLand() async throws {
        let directory = try TemporaryDirectory(prefix: "strata-group")
        let path = directory.appending("db")
        let configuration = EngineFixtures.smallConfiguration(PosixFileSystem())
        let db = try Database.open(at: path, configuration: configuration)
        let tree = try db.tree("t")
        let threads = 8
        let perThread = 40
        let landed = SharedCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for thread in 0..<threads {
                group.addTask {
                    for i in 0..<perThread {
                        try tree.insert([UInt8(thread), UInt8(i)], forKey: [UInt8(thread), UInt8(i)], durability: .synced)
                        landed.value.add(1, ordering: .relaxed)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(landed.value.load(ordering: .relaxed) == threads * perThread)
        #expect(try tree.count == threads * perThread)
        let statistics = try db.statistics()
        #expect(statistics.durableSequence == statistics.sequence)
        try db.close()
        let reopened = try Database.open(at: path, configuration: configuration)
        let again = try #require(try reopened.existingTree("t"))
        #expect(try again.count == threads * perThread)
        for thread in 0..<threads {
            var cursor = try again.scan(prefix: [UInt8(thread)])
            #expect(try cursor.collect().count == perThread)
        }
        try reopened.verify()
        try reopened.close()
    }
}

/// An atomic counter that closures on several tasks can share.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
}
