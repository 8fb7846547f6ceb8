import StrataEngine
import StrataTestSupport
import Testing

/// What each public call returns and does, one behaviour at a time.
@Suite struct APIBehaviourTests {
    static func open() throws -> Database {
        try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(MemoryFileSystem()))
    }

    @Test func insertRemoveCompareAndSwapUpdateAndFetch() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        #expect(try tree.insert([1], forKey: [9]) == nil)
        #expect(try tree.insert([2], forKey: [9]) == [1])
        #expect(try tree.remove([9]) == [2])
        #expect(try tree.remove([9]) == nil)
        #expect(try tree.compareAndSwap([5], expected: nil, new: [1]) == .swapped)
        #expect(try tree.compareAndSwap([5], expected: nil, new: [2]) == .mismatch(current: [1]))
        #expect(try tree.compareAndSwap([5], expected: [1], new: nil) == .swapped)
        #expect(try tree.get([5]) == nil)
        #expect(try tree.updateAndFetch([6]) { ($0 ?? [0]).map { $0 + 1 } } == [1])
        #expect(try tree.updateAndFetch([6]) { ($0 ?? [0]).map { $0 + 1 } } == [2])
        #expect(try tree.updateAndFetch([6]) { _ in nil } == nil)
        #expect(try tree.isEmpty)
        try db.close()
    }

    @Test func countFirstLastClear() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        #expect(try tree.first() == nil)
        #expect(try tree.last() == nil)
        for i in UInt8(1)...200 { try tree.insert([i], forKey: [i, i]) }
        #expect(try tree.count == 200)
        #expect(try tree.first() == Entry(key: [1, 1], value: [1]))
        #expect(try tree.last() == Entry(key: [200, 200], value: [200]))
        try tree.clear()
        #expect(try tree.count == 0)
        #expect(try tree.first() == nil)
        try db.close()
    }

    @Test func prefixScansIncludingFFPrefixes() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        let keys: [[UInt8]] = [[0xFE], [0xFE, 0xFF], [0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0x01], [0x01]]
        for key in keys { try tree.insert(key, forKey: key) }
        var ff = try tree.scan(prefix: [0xFF])
        #expect(try ff.collect().map(\.key) == [[0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0x01]])
        var ffff = try tree.scan(prefix: [0xFF, 0xFF], reverse: true)
        #expect(try ffff.collect().map(\.key) == [[0xFF, 0xFF, 0x01], [0xFF, 0xFF]])
        var all = try tree.scan(prefix: [])
        #expect(try all.collect().count == keys.count)
        var none = try tree.scan(prefix: [0x02])
        #expect(try none.collect().isEmpty)
        try db.close()
    }

    @Test func reverseRangesHonourIncludedAndExcludedBounds() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        for i in UInt8(0)..<100 { try tree.insert([i], forKey: [i]) }
        func keys(_ lower: KeyBound, _ upper: KeyBound, reverse: Bool) throws -> [UInt8] {
            var cursor = try tree.range(lower, upper, reverse: reverse)
            return try cursor.collect().map { $0.key[0] }
        }
        #expect(try keys(.included([10]), .included([13]), reverse: true) == [13, 12, 11, 10])
        #expect(try keys(.excluded([10]), .excluded([13]), reverse: true) == [12, 11])
        #expect(try keys(.excluded([10]), .included([13]), reverse: false) == [11, 12, 13])
        #expect(try keys(.unbounded, .excluded([3]), reverse: true) == [2, 1, 0])
        #expect(try keys(.included([97]), .unbounded, reverse: true) == [99, 98, 97])
        #expect(try keys(.included([13]), .included([10]), reverse: true) == [])
        var halfOpen = try tree.range(from: [5], to: [8], reverse: true)
        #expect(try halfOpen.collect().map { $0.key[0] } == [7, 6, 5])
        try db.close()
    }

    @Test func transactionsReadTheirWritesAndMergeEntries() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        for i in UInt8(0)..<10 where i % 2 == 0 { try tree.insert([i], forKey: [i]) }
        try db.write { tx in
            try tx.insert([99], forKey: [3], in: tree)
            try tx.remove([4], from: tree)
            try tx.insert([77], forKey: [6], in: tree)
            #expect(try tx[tree].get([3]) == [99])
            #expect(try tx[tree].get([4]) == nil)
            #expect(try !tx[tree].contains([4]))
            #expect(try tx[tree].get([2]) == [2])
            let entries = try Array(tx[tree].range(.unbounded, .unbounded))
            #expect(entries.map(\.key) == [[0], [2], [3], [6], [8]])
            #expect(entries.first { $0.key == [6] }?.value == [77])
            let reversed = try Array(tx[tree].range(from: [2], to: [8], reverse: true))
            #expect(reversed.map(\.key) == [[6], [3], [2]])
            var paged = try tx[tree].range(.unbounded, .unbounded)
            #expect(try paged.collect(limit: 2).map(\.key) == [[0], [2]])
            try tx.clear(tree)
            try tx.insert([1], forKey: [1], in: tree)
            #expect(try Array(tx[tree].range(.unbounded, .unbounded)).map(\.key) == [[1]])
            #expect(try tx[tree].get([0]) == nil)
        }
        #expect(try tree.count == 1)
        try db.close()
    }

    @Test func aThrowingTransactionChangesNothing() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        try tree.insert([1], forKey: [1])
        let before = try EngineFixtures.contents(of: db)
        #expect(throws: RollbackRequested.self) {
            try db.write { tx in
                try tx.insert([2], forKey: [2], in: tree)
                try tx.clear(tree)
                _ = try tx.tree("created-then-rolled-back")
                throw RollbackRequested()
            }
        }
        #expect(try EngineFixtures.contents(of: db) == before)
        #expect(try db.existingTree("created-then-rolled-back") == nil)
        try db.close()
    }

    @Test func watchDeliversChangesInCommitOrderAndFinishesOnClose() async throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        let stream = try tree.watch(prefix: [7])
        try tree.insert([1], forKey: [7, 1])
        try tree.insert([1], forKey: [8, 1])  // other prefix: not delivered
        try await db.write { tx in
            try tx.insert([2], forKey: [7, 2], in: tree)
            try tx.remove([7, 1], from: tree)
        }
        try tree.remove([7, 9])  // absent: no event
        try tree.clear()
        try db.close()
        var events: [TreeEvent] = []
        for await event in stream { events.append(event) }
        #expect(events.count == 4)
        guard events.count == 4 else { return }
        guard case .inserted([7, 1], [1], let s1) = events[0], case .inserted([7, 2], [2], let s2) = events[1],
            case .removed([7, 1], let s3) = events[2], case .cleared(let s4) = events[3]
        else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(s1 < s2 && s2 == s3 && s3 < s4)
    }

    @Test func watchAndFeedReportADroppedTreeDistinctly() async throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        let other = try db.tree("other")
        let stream = try tree.watch()
        let otherStream = try other.watch()
        try tree.insert([1], forKey: [1])
        try tree.clear()
        try db.dropTree("t")
        try db.tree("t").insert([2], forKey: [2])  // a new tree under the old name: not this watcher's
        try other.insert([3], forKey: [3])
        var feed = try db.changes(since: 0)
        var kinds: [CommittedChange.Kind] = []
        while let commit = try feed.next() { kinds += commit.changes.filter { $0.treeID == tree.id }.map(\.kind) }
        #expect(kinds == [.createTree(name: "t"), .put(key: [1], value: [1]), .clear, .dropTree])
        try db.close()
        var events: [TreeEvent] = []
        for await event in stream { events.append(event) }
        guard events.count == 3, case .inserted([1], [1], let s1) = events[0], case .cleared(let s2) = events[1],
            case .dropped(let s3) = events[2]
        else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(s1 < s2 && s2 < s3)
        var otherEvents: [TreeEvent] = []
        for await event in otherStream { otherEvents.append(event) }
        #expect(otherEvents.count == 1, "a drop of another tree ends only its own watchers: \(otherEvents)")
    }

    @Test func statisticsMoveAsExpected() throws {
        let db = try Self.open()
        let tree = try db.tree("t")
        let start = try db.statistics()
        for i in 0..<100 { try tree.insert([UInt8](repeating: 1, count: 100), forKey: Array("k\(i)".utf8)) }
        let written = try db.statistics()
        #expect(written.sequence > start.sequence)
        #expect(written.walBytes > start.walBytes)
        #expect(written.trees.map(\.name) == ["t"])
        #expect(written.trees.map(\.keys) == [100])
        #expect(!written.writesDisabled)
        try db.flush()
        #expect(try db.statistics().durableSequence == written.sequence)
        try db.checkpoint()
        let checkpointed = try db.statistics()
        #expect(checkpointed.checkpointEpoch > written.checkpointEpoch)
        #expect(checkpointed.dirtyBytes == 0)
        #expect(checkpointed.liveBytes > 0)
        #expect(checkpointed.segmentBytes >= checkpointed.liveBytes)
        #expect(checkpointed.lastCheckpointMilliseconds != nil)
        try db.close()
    }

    @Test func treesAreCreatedListedAndDropped() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        #expect(try db.treeNames() == [])
        #expect(try db.existingTree("b") == nil)
        let b = try db.tree("b")
        _ = try db.tree("a")
        #expect(try db.tree("b") == b)
        #expect(try db.treeNames() == ["a", "b"])
        try b.insert([1], forKey: [1])
        #expect(try db.dropTree("b"))
        #expect(try db.treeNames() == ["a"])
        try db.close()
        let reopened = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        #expect(try reopened.treeNames() == ["a"])
        #expect(try reopened.tree("b").count == 0)
        try reopened.close()
    }
}

@Suite struct BorrowedReadTests {
    @Test func withValueLendsInlineAndOutOfLineValuesAndNilWhenAbsent() throws {
        var configuration = Database.Configuration(fileSystem: MemoryFileSystem())
        configuration.flushInterval = nil
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        let small: [UInt8] = [1, 2, 3]
        let large = [UInt8](repeating: 7, count: 5000)
        try tree.insert(small, forKey: [1])
        try tree.insert(large, forKey: [2])
        try db.checkpoint()  // the large value now lives out of line
        #expect(try tree.withValue(forKey: [1]) { $0.map(Array.init) } == small)
        #expect(try tree.withValue(forKey: [2]) { $0.map(Array.init) } == large)
        #expect(try tree.withValue(forKey: [3]) { $0 == nil })
        let snapshot = try db.snapshot()
        try tree.remove([1])
        #expect(try snapshot[tree].withValue(forKey: [1]) { $0.map(Array.init) } == small)
        #expect(try tree.withValue(forKey: [1]) { $0 == nil })
        try db.close()
    }
}

@Suite struct BorrowedCursorTests {
    @Test func forEachBorrowedLendsTheSameEntriesAsNextAndStops() throws {
        var configuration = Database.Configuration(fileSystem: MemoryFileSystem())
        configuration.flushInterval = nil
        configuration.pageSize = 1024
        configuration.largeValueThreshold = 256
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        try db.write { tx in
            for i in 0..<500 {
                let value = [UInt8](repeating: UInt8(i % 200), count: i % 7 == 0 ? 600 : 20)
                try tx.insert(value, forKey: [UInt8(i / 256), UInt8(i % 256)], in: tree)
            }
        }
        try db.checkpoint()
        for reverse in [false, true] {
            var expected = try tree.range(.included([0, 100]), .excluded([1, 50]), reverse: reverse)
            var borrowed = try tree.range(.included([0, 100]), .excluded([1, 50]), reverse: reverse)
            var seen: [Entry] = []
            try borrowed.forEachBorrowed { key, value in
                seen.append(Entry(key: Array(key), value: Array(value)))
                return true
            }
            #expect(seen == (try expected.collect()))
            #expect(seen.count == 206)
        }
        var stopping = try tree.range(.unbounded, .unbounded)
        var count = 0
        try stopping.forEachBorrowed { _, _ in
            count += 1
            return count < 10
        }
        #expect(count == 10)
        #expect(try stopping.next()?.key == [0, 10])
        try db.close()
    }
}

@Suite struct ByteCollectionOverloadTests {
    @Test func keysAndValuesMayBeAnyByteCollection() throws {
        var configuration = Database.Configuration(fileSystem: MemoryFileSystem())
        configuration.flushInterval = nil
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        try tree.insert("hello".utf8, forKey: "greeting".utf8)
        let bytes: [UInt8] = Array("xgreetingx".utf8)
        #expect(try tree.get(bytes[1..<9]) == Array("hello".utf8))
        #expect(try tree.contains("greeting".utf8))
        try db.write { tx in
            try tx.insert("world".utf8, forKey: "other".utf8, in: tree)
            #expect(try tx[tree].get(Array("other".utf8)) == Array("world".utf8))
            try tx.remove("greeting".utf8, from: tree)
        }
        var cursor = try tree.scan(prefix: "oth".utf8)
        #expect(try cursor.next()?.value == Array("world".utf8))
        #expect(try tree.remove("other".utf8) == Array("world".utf8))
        #expect(try tree.count == 0)
        try db.close()
    }

    /// The point reads borrow a contiguous key in place (a buffer, a slice, a String's UTF-8),
    /// copy one that is not contiguous, and reject a bad key with the same typed error.
    @Test func pointReadsTakeBorrowedAndNonContiguousKeys() throws {
        let db = try APIBehaviourTests.open()
        let tree = try db.tree("t")
        try tree.insert([1, 2, 3], forKey: Array("key".utf8))
        let framed: [UInt8] = Array("[key]".utf8)
        try framed.withUnsafeBytes { (raw) throws -> Void in
            let key = UnsafeRawBufferPointer(rebasing: raw[1..<4])
            #expect(try tree.get(key) == [1, 2, 3])
            #expect(try tree.contains(key))
            #expect(try tree.withValue(forKey: key) { $0.map(Array.init) } == [1, 2, 3])
            let missing = UnsafeRawBufferPointer(rebasing: raw[0..<4])
            #expect(try tree.withValue(forKey: missing) { $0 == nil })
            #expect(try !tree.contains(missing))
            expectStrataError(.invalidArgument) { try tree.get(UnsafeRawBufferPointer(rebasing: raw[2..<2])) }
        }
        #expect(try tree.withValue(forKey: framed[1..<4]) { $0?.count } == 3)
        #expect(try tree.get(Array("key".utf8).lazy.map { $0 }) == [1, 2, 3])
        expectStrataError(.invalidArgument) {
            try tree.withValue(forKey: [UInt8](repeating: 1, count: Limits.maxKeyLength + 1)[...]) { _ in 0 }
        }
        // Writes from raw buffers copy the bytes once, into the transaction.
        try framed.withUnsafeBytes { (raw) throws -> Void in
            try db.write { tx in
                try tx.insert(UnsafeRawBufferPointer(rebasing: raw[0..<1]), forKey: UnsafeRawBufferPointer(rebasing: raw[1..<4]), in: tree)
                expectStrataError(.invalidArgument) {
                    try tx.insert(UnsafeRawBufferPointer(rebasing: raw[0..<1]), forKey: UnsafeRawBufferPointer(rebasing: raw[0..<0]), in: tree)
                }
            }
        }
        #expect(try tree.get(Array("key".utf8)) == Array("[".utf8))
        #expect(try tree.count == 1)
        try db.close()
    }
}
