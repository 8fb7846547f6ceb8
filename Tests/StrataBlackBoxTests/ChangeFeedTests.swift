import Foundation
import StrataEngine
import Testing

/// Issue 9 item 6: the resumable change feed and bounded watchers.
@Suite struct ChangeFeedTests {
    /// Every commit of `feed`, read to its end.
    func drain(_ feed: ChangeFeed) throws -> [ChangeFeed.Commit] {
        var feed = feed
        var commits: [ChangeFeed.Commit] = []
        while let commit = try feed.next() { commits.append(commit) }
        return commits
    }

    func latest(_ db: Database) throws -> UInt64 { try db.snapshot().sequence }

    @Test func everyCommitInOrderWithItsChanges() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let a = try db.tree("a")
        let b = try db.tree("b")
        let start = try latest(db)
        try a.insert(bytes("v1"), forKey: bytes("k1"))
        let first = try latest(db)
        try db.write { tx in
            try tx.insert(bytes("v2"), forKey: bytes("k2"), in: a)
            try tx.remove(bytes("k1"), from: a)
            try tx.insert(bytes("x"), forKey: bytes("x"), in: b)
        }
        try b.insert(bytes("y"), forKey: bytes("y"))
        try db.write { tx in try tx.remove(bytes("zz"), from: a) }    // absent: the log still records the request
        try a.clear()
        var created: Tree?
        try db.write { tx in created = try tx.tree("c") }
        let c = try #require(created)

        let feed = try db.changes(since: start)
        #expect(feed.since == start)
        #expect(feed.through == (try latest(db)))
        let commits = try drain(feed)
        try #require(commits.count == 6)
        #expect(commits.map(\.sequence) == commits.map(\.sequence).sorted())
        #expect(commits.first?.sequence == first)
        #expect(commits.last?.sequence == feed.through)
        #expect(commits.allSatisfy { $0.sequence > start && !$0.changes.isEmpty })
        #expect(commits.allSatisfy { commit in commit.changes.allSatisfy { $0.sequence == commit.sequence } })
        func kinds(_ i: Int) -> [CommittedChange.Kind] { commits[i].changes.map(\.kind) }
        #expect(kinds(0) == [.put(key: bytes("k1"), value: bytes("v1"))])
        #expect(commits[0].changes[0].treeID == a.id)
        #expect(kinds(1) == [.put(key: bytes("k2"), value: bytes("v2")), .remove(key: bytes("k1")), .put(key: bytes("x"), value: bytes("x"))])
        #expect(commits[1].changes.map(\.treeID) == [a.id, a.id, b.id])
        #expect(kinds(3) == [.remove(key: bytes("zz"))])
        #expect(kinds(4) == [.clear])
        #expect(kinds(5) == [.createTree(name: "c")])
        #expect(commits[5].changes[0].treeID == c.id)

        // The tree's feed: only its changes, under the prefix, plus its clear.
        let aCommits = try drain(a.changes(since: start, prefix: bytes("k")))
        #expect(aCommits.map { $0.changes.map(\.kind) } == [
            [.put(key: bytes("k1"), value: bytes("v1"))],
            [.put(key: bytes("k2"), value: bytes("v2")), .remove(key: bytes("k1"))],
            [.clear],
        ])
        #expect(try drain(a.changes(since: start)).count == 4, "without a prefix the remove of zz is in")
        #expect(try drain(b.changes(since: start)).map(\.sequence) == [commits[1].sequence, commits[2].sequence])

        // A feed ends at `through`; later commits are read by the next feed.
        var old = try db.changes(since: start)
        try a.insert(bytes("later"), forKey: bytes("k9"))
        #expect(try drain(old).count == 6)
        while try old.next() != nil {}
        let resumed = try drain(db.changes(since: feed.through))
        #expect(resumed.map { $0.changes.map(\.kind) } == [[.put(key: bytes("k9"), value: bytes("later"))]])
        #expect(try drain(db.changes(since: try latest(db))).isEmpty)
        expectCode(.changesUnavailable, "newer than the newest commit") { _ = try db.changes(since: try latest(db) + 1) }
        try db.close()
        expectCode(.closed) { _ = try db.changes(since: start) }
    }

    @Test func historySurvivesReopenWhenRetained() throws {
        let temp = try TemporaryDatabase()
        let retain: (inout Database.Configuration) -> Void = { $0.changeRetentionBytes = 8 << 20 }
        var start: UInt64 = 0
        var before: [ChangeFeed.Commit] = []
        do {
            let db = try temp.open(retain)
            let tree = try db.tree("t")
            start = try latest(db)
            for i in 0..<20 { try tree.insert(bytes("v\(i)"), forKey: bytes("k\(i)")) }
            _ = try db.checkpoint()
            for i in 20..<30 { try tree.insert(bytes("v\(i)"), forKey: bytes("k\(i)")) }
            before = try drain(db.changes(since: start))
            try db.close()
        }
        #expect(before.count == 30)
        let db = try temp.open(retain)
        #expect(try db.oldestChangeSequence() <= start)
        #expect(try drain(db.changes(since: start)) == before)
        try db.close()
    }

    @Test func historyNotRetainedIsChangesUnavailable() throws {
        let temp = try TemporaryDatabase()
        var start: UInt64 = 0
        do {
            let db = try temp.open()   // changeRetentionBytes defaults to 0
            let tree = try db.tree("t")
            start = try latest(db)
            for round in 0..<3 {
                for i in 0..<10 { try tree.insert(bytes("v"), forKey: bytes("k\(round)-\(i)")) }
                _ = try db.checkpoint()
            }
            try db.close()
        }
        let db = try temp.open()
        let oldest = try db.oldestChangeSequence()
        #expect(oldest > start)
        expectCode(.changesUnavailable) { _ = try db.changes(since: start) }
        #expect(try drain(db.changes(since: oldest)).count == Int(try latest(db) - oldest))
        try db.close()
    }

    @Test func watchDeliversUpToItsBufferThenOverflows() async throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        expectCode(.invalidArgument) { _ = try tree.watch(bufferLimit: 0) }
        let events = try tree.watch(prefix: bytes("k"), bufferLimit: 3)
        var sequences: [UInt64] = []
        for name in ["k1", "k2", "j", "k3", "k4", "k5"] {
            try tree.insert(bytes(name), forKey: bytes(name))
            sequences.append(try latest(db))
        }
        try await db.write { tx in try tx.remove(bytes("k-absent"), from: tree) }   // absent: in the feed, not a watch event
        #expect(events.bufferedCount <= 4)
        var received: [TreeEvent] = []
        for await event in events { received.append(event) }
        #expect(received == [
            .inserted(key: bytes("k1"), value: bytes("k1"), sequence: sequences[0]),
            .inserted(key: bytes("k2"), value: bytes("k2"), sequence: sequences[1]),
            .inserted(key: bytes("k3"), value: bytes("k3"), sequence: sequences[3]),
            .overflowed(sequence: sequences[3]),
        ])
        // What the watcher missed is in the feed from the overflow's sequence.
        var missed: [CommittedChange.Kind] = []
        var feed = try tree.changes(since: sequences[3], prefix: bytes("k"))
        while let commit = try feed.next() { missed += commit.changes.map(\.kind) }
        #expect(missed == [.put(key: bytes("k4"), value: bytes("k4")), .put(key: bytes("k5"), value: bytes("k5")), .remove(key: bytes("k-absent"))])
        try db.close()
    }

    @Test func oneLargeCommitIsDeliveredWholeThenClearAndDrop() async throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        let events = try tree.watch(bufferLimit: 3)
        try await db.write { tx in for i in 0..<10 { try tx.insert([UInt8(i)], forKey: bytes("k\(i)"), in: tree) } }
        let bulk = try latest(db)
        var iterator = events.makeAsyncIterator()
        for i in 0..<10 {
            #expect(await iterator.next() == .inserted(key: bytes("k\(i)"), value: [UInt8(i)], sequence: bulk),
                    "a commit larger than the limit arrives whole into an empty buffer")
        }
        _ = try tree.remove(bytes("k0"))
        let removal = try latest(db)
        try await db.write { tx in try tx.remove(bytes("absent"), from: tree) }   // not present: watchers are not told
        try tree.clear()
        let clear = try latest(db)
        #expect(try db.dropTree("t"))
        let drop = try latest(db)
        var rest: [TreeEvent] = []
        while let event = await iterator.next() { rest.append(event) }
        #expect(rest == [.removed(key: bytes("k0"), sequence: removal), .cleared(sequence: clear), .dropped(sequence: drop)])
        try db.close()
    }

    @Test func anUnreadBufferOverflowsAtTheNextCommit() async throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        let events = try tree.watch(bufferLimit: 3)
        try await db.write { tx in for i in 0..<10 { try tx.insert([UInt8(i)], forKey: bytes("k\(i)"), in: tree) } }
        let bulk = try latest(db)
        _ = try tree.remove(bytes("k0"))
        var received: [TreeEvent] = []
        for await event in events { received.append(event) }
        #expect(received.count == 11)
        #expect(received.last == .overflowed(sequence: bulk))
        try db.close()
    }

    @Test func closeEndsWatchers() async throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        let events = try tree.watch()
        try tree.insert(bytes("v"), forKey: bytes("k"))
        try db.close()
        var received: [TreeEvent] = []
        for await event in events { received.append(event) }
        #expect(received.count <= 1)
    }
}
