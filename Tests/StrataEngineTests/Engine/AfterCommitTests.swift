import StrataTestSupport
import Synchronization
import Testing

@testable import StrataEngine

/// `Transaction.afterCommit` runs its actions once the commit is published, with its sequence,
/// before the next writer starts; never for a transaction that throws or changes nothing.
@Suite struct AfterCommitTests {
    @Test func actionsRunWithTheCommitsSequenceAfterPublishing() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let tree = try db.tree("t")
        let seen = Mutex<[String]>([])
        try db.write { tx in
            try tx.insert([1], forKey: [1], in: tree)
            try tx.afterCommit { sequence in
                // Published: a snapshot taken now sees the commit.
                let visible = (try? db.snapshot()[tree].get([1])) == [1]
                let current = (try? db.snapshot().sequence) ?? 0
                seen.withLock { $0.append("first \(sequence) visible \(visible) current \(current == sequence)") }
            }
            try tx.afterCommit { sequence in seen.withLock { $0.append("second \(sequence)") } }
        }
        let sequence = try db.snapshot().sequence
        #expect(seen.withLock { $0 } == ["first \(sequence) visible true current true", "second \(sequence)"])
    }

    @Test func actionsNeverRunForAnAbortedOrEmptyTransaction() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let tree = try db.tree("t")
        let runs = Mutex(0)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try db.write { tx in
                try tx.insert([1], forKey: [1], in: tree)
                try tx.afterCommit { _ in runs.withLock { $0 += 1 } }
                throw Abort()
            }
        }
        try db.write { tx in try tx.afterCommit { _ in runs.withLock { $0 += 1 } } }
        #expect(runs.withLock { $0 } == 0)
        #expect(try tree.get([1]) == nil)
        // The handle is closed after its closure.
        var escaped: Transaction?
        try db.write { tx in escaped = tx }
        let error = expectStrataError(.closed, "afterCommit after the closure") { try escaped?.afterCommit { _ in } }
        #expect(error != nil)
    }
}
