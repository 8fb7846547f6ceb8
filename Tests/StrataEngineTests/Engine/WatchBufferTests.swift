import StrataEngine
import StrataTestSupport
import Testing

/// A watcher's buffer is bounded: one that does not keep up gets `overflowed` and resumes from
/// the change feed; one that keeps up never does.
@Suite struct WatchBufferTests {
    static func open() throws -> Database {
        var configuration = EngineFixtures.smallConfiguration(MemoryFileSystem())
        configuration.changeRetentionBytes = 64 << 20
        return try Database.open(at: "/db", configuration: configuration)
    }

    static func events(_ stream: TreeEvents) async -> [TreeEvent] {
        var events: [TreeEvent] = []
        for await event in stream { events.append(event) }
        return events
    }

    @Test func aWatcherThatNeverReadsOverflowsAtItsLimitAndResumesFromTheFeed() async throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        let limit = 16
        let stream = try tree.watch(bufferLimit: limit)
        let start = try db.statistics().sequence
        var mostBuffered = 0
        for i in 0..<1000 {
            try tree.insert([UInt8(i % 256)], forKey: Array("k\(i)".utf8))
            mostBuffered = max(mostBuffered, stream.bufferedCount)
        }
        #expect(mostBuffered == limit + 1, "the buffer holds the limit and the overflow event, no more")

        // Everything the watcher missed is in the feed, from where the overflow event says.
        let resume = start + UInt64(limit)
        var feed = try tree.changes(since: resume)
        var next = resume
        while let commit = try feed.next() {
            #expect(commit.sequence == next + 1)
            next = commit.sequence
        }
        #expect(next == start + 1000)
        try db.close()

        // The stream holds the limit's events, then where to resume.
        let events = await Self.events(stream)
        #expect(events.count == limit + 1)
        let inserted = events.prefix(limit).compactMap { event -> UInt64? in
            guard case .inserted(_, _, let sequence) = event else { return nil }
            return sequence
        }
        #expect(inserted == Array((start + 1)...(start + UInt64(limit))))
        #expect(events.last == .overflowed(sequence: resume))
    }

    @Test func aWatcherThatKeepsUpNeverOverflows() async throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        let stream = try tree.watch(bufferLimit: 2)
        var iterator = stream.makeAsyncIterator()
        for i in 0..<200 {
            try await db.write { tx in
                try tx.insert([1], forKey: [UInt8(i % 256), 1], in: tree)
                try tx.insert([2], forKey: [UInt8(i % 256), 2], in: tree)
            }
            for _ in 0..<2 {
                guard case .inserted = await iterator.next() else {
                    Issue.record("a watcher that kept up lost events at commit \(i)")
                    return
                }
            }
        }
        try db.close()
        #expect(await iterator.next() == nil)
    }

    @Test func aCommitLargerThanTheLimitIsDeliveredWholeIntoAnEmptyBuffer() async throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        let stream = try tree.watch(bufferLimit: 4)
        try await db.write { tx in
            for i in 0..<10 { try tx.insert([1], forKey: [UInt8(i)], in: tree) }
        }
        let first = try db.statistics().sequence
        try tree.insert([2], forKey: [99])
        try tree.insert([3], forKey: [98])
        try db.close()
        let events = await Self.events(stream)
        #expect(events.count == 11)
        #expect(events.last == .overflowed(sequence: first))
    }

    @Test func aBufferLimitBelowOneIsRefused() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        expectStrataError(.invalidArgument) { try tree.watch(bufferLimit: 0) }
        try db.close()
    }
}
