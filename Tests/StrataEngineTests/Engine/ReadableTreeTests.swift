import StrataEngine
import StrataTestSupport
import Testing

/// One reading vocabulary: the same generic code, run on a tree, a snapshot's view of it and
/// a transaction's view of it holding the same entries, gives the same answers; and the
/// cursor conveniences each do what they say on both kinds of cursor.
@Suite struct ReadableTreeTests {
    /// Everything a reader can ask of a view, gathered by code written once against the protocol.
    struct Answers: Equatable {
        var values: [[UInt8]?] = []
        var borrowedLengths: [Int?] = []
        var contained: [Bool] = []
        var ranges: [[[UInt8]]] = []
        var counts: [Int] = []
        var ends: [[UInt8]?] = []
        var empty = false
    }

    static func answers(of view: some ReadableTree) throws -> Answers {
        var answers = Answers()
        let probes: [[UInt8]] = [[0], [1], [1, 0], [2], [5], [9], [200], [0xFF]]
        for key in probes {
            answers.values.append(try view.get(key))
            answers.borrowedLengths.append(try view.withValue(forKey: key) { $0?.count })
            answers.contained.append(try view.contains(key))
        }
        for reverse in [false, true] {
            answers.ranges.append(try Array(view.range(.unbounded, .unbounded, reverse: reverse)).map(\.key))
            answers.ranges.append(try Array(view.range(.included([2]), .excluded([9]), reverse: reverse)).map(\.key))
            answers.ranges.append(try Array(view.range(.excluded([2]), .included([9]), reverse: reverse)).map(\.key))
            answers.ranges.append(try Array(view.range(from: [1], to: [3], reverse: reverse)).map(\.key))
            answers.ranges.append(try Array(view.scan(prefix: [1], reverse: reverse)).map(\.key))
            answers.ranges.append(try Array(view.scan(prefix: [0xFF], reverse: reverse)).map(\.key))
            var seeking = try view.range(.included([1]), .excluded([9]), reverse: reverse)
            try seeking.seek(to: [4])
            answers.ranges.append(try seeking.collect(limit: 3).map(\.key))
        }
        answers.counts = [
            try view.count, try view.count(prefix: [1]), try view.count(.included([2]), .unbounded),
            try view.count(.unbounded, .excluded([2])),
        ]
        answers.ends = [try view.first()?.key, try view.last()?.key]
        answers.empty = try view.isEmpty
        return answers
    }

    /// Keys 0...9 (the even ones with a child key [k, 0]) and [0xFF], valued by key length and byte.
    static let entries: [Entry] = {
        var keys: [[UInt8]] = (UInt8(0)...9).map { [$0] } + (UInt8(0)...9).filter { $0 % 2 == 0 }.map { [$0, 0] }
        keys.append([0xFF])
        return keys.map { Entry(key: $0, value: Array(repeating: $0[0], count: $0.count * 3)) }
    }()

    @Test func theThreeViewsGiveTheSameAnswers() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let tree = try db.tree("committed")
        for entry in Self.entries { try tree.insert(entry.value, forKey: entry.key) }
        let fromTree = try Self.answers(of: tree)
        #expect(fromTree.values[1] == [1, 1, 1] && fromTree.counts[0] == Self.entries.count)
        let snapshot = try db.snapshot()
        try tree.clear()  // the snapshot still shows the entries
        #expect(try Self.answers(of: snapshot[tree]) == fromTree)
        #expect(try Self.answers(of: #require(snapshot.tree(named: "committed"))) == fromTree)
        // Inside a transaction: all pending, then half committed and half pending with
        // tombstones and overwrites over the committed half.
        let pending = try db.tree("pending")
        let mixed = try db.tree("mixed")
        for (index, entry) in Self.entries.enumerated() where index % 2 == 0 {
            try mixed.insert([7, 7], forKey: entry.key)
        }
        try mixed.insert([1], forKey: [3, 3])
        try mixed.insert([1], forKey: [200])
        try db.write { tx in
            for entry in Self.entries { try tx[pending].insert(entry.value, forKey: entry.key) }
            #expect(try Self.answers(of: tx[pending]) == fromTree)
            for (index, entry) in Self.entries.enumerated() where index % 3 != 0 {
                try tx[mixed].insert(entry.value, forKey: entry.key)
            }
            for (index, entry) in Self.entries.enumerated() where index % 3 == 0 {
                try tx[mixed].insert(entry.value, forKey: entry.key)
            }
            try tx[mixed].remove([3, 3])
            try tx[mixed].remove([200])
            try tx[mixed].remove([7, 7, 7])  // absent everywhere
            #expect(try Self.answers(of: tx[mixed]) == fromTree)
        }
        #expect(try Self.answers(of: mixed) == fromTree)
        #expect(try Self.answers(of: db.tree("empty")).empty)
        try db.close()
    }

    @Test func snapshotsLookTreesUpByName() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let early = try db.tree("early")
        try early.insert([1], forKey: [1])
        let snapshot = try db.snapshot()
        let late = try db.tree("late")
        #expect(try snapshot.tree(named: "early")?.get([1]) == [1])
        #expect(snapshot.tree(named: "late") == nil)
        #expect(snapshot.tree(named: "missing") == nil)
        expectStrataError(.notFound) { _ = try snapshot[late] }
        try db.close()
    }

    /// Bad keys and bounds throw `invalidArgument` on every view, a transaction's view or
    /// cursor used after its closure throws `closed`, and none of it changes the tree.
    @Test func badInputsThrowTypedErrorsOnEveryView() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let tree = try db.tree("t")
        try tree.insert([1], forKey: [1])
        let otherDirectory = try TemporaryDirectory()
        let other = try Database.open(at: otherDirectory.path)
        let foreign = try other.tree("t")
        let tooLong = [UInt8](repeating: 1, count: Limits.maxKeyLength + 1)
        func check(_ view: some ReadableTree) {
            expectStrataError(.invalidArgument) { _ = try view.get([]) }
            expectStrataError(.invalidArgument) { _ = try view.contains(tooLong) }
            expectStrataError(.invalidArgument) { _ = try view.withValue(forKey: []) { $0 } }
            expectStrataError(.invalidArgument) { _ = try view.range(.included(tooLong), .unbounded) }
            expectStrataError(.invalidArgument) {
                var cursor = try view.range(.unbounded, .unbounded)
                try cursor.seek(to: tooLong)
            }
        }
        check(tree)
        let snapshot = try db.snapshot()
        check(try snapshot[tree])
        expectStrataError(.invalidArgument) { _ = try snapshot[foreign] }
        var escaped: TransactionCursor?
        try db.write { tx in
            check(tx[tree])
            expectStrataError(.invalidArgument) { _ = try tx[foreign].get([1]) }
            escaped = try tx[tree].range(.unbounded, .unbounded)
        }
        expectStrataError(.closed) { _ = try escaped?.next() }
        #expect(try Array(tree.range(.unbounded, .unbounded)) == [Entry(key: [1], value: [1])])
        try other.close()
        try db.close()
    }

    // MARK: Cursor conveniences, on a tree's cursor and on a transaction's

    /// Runs `body` with a cursor over keys [0]...[9] from a committed tree, and from a
    /// transaction over a tree where half of them are pending.
    static func withBothCursors(reverse: Bool = false, _ body: (any EntryCursor, String) throws -> Void) throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let tree = try db.tree("t")
        for i in UInt8(0)...9 { try tree.insert([i], forKey: [i]) }
        try body(try tree.range(.unbounded, .unbounded, reverse: reverse), "tree")
        let half = try db.tree("half")
        for i in UInt8(0)...9 where i % 2 == 0 { try half.insert([i], forKey: [i]) }
        try db.write { tx in
            for i in UInt8(0)...9 where i % 2 == 1 { try tx[half].insert([i], forKey: [i]) }
            try body(try tx[half].range(.unbounded, .unbounded, reverse: reverse), "transaction")
        }
        try db.close()
    }

    @Test func mapFilterFirstContainsAndArray() throws {
        try Self.withBothCursors { cursor, kind in try Self.checkConveniences(cursor, kind) }
    }

    /// Generic, so that the cursor's own type (not an existential) gets `map` and `filter`.
    static func checkConveniences(_ cursor: some EntryCursor, _ kind: String) throws {
        #expect(try Array(cursor.map { $0.key[0] }) == Array(0...9), "\(kind)")
        #expect(try Array(cursor.filter { $0.key[0] % 3 == 0 }).map(\.key) == [[0], [3], [6], [9]], "\(kind)")
        #expect(try Array(cursor.filter { $0.key[0] > 4 }.map { Int($0.value[0]) * 10 }) == [50, 60, 70, 80, 90], "\(kind)")
        var moving = cursor
        #expect(try moving.first { $0.key[0] > 6 }?.key == [7], "\(kind)")
        #expect(try moving.next()?.key == [8], "first(where:) leaves the cursor after the match, \(kind)")
        #expect(try !moving.contains { $0.key == [3] }, "\(kind)")
        var paging = cursor
        #expect(try paging.collect(limit: 4).map(\.key) == [[0], [1], [2], [3]], "\(kind)")
        #expect(try paging.collect(limit: 4).map(\.key) == [[4], [5], [6], [7]], "\(kind)")
        var sum = 0
        try paging.forEach { sum += Int($0.key[0]) }
        #expect(sum == 17, "\(kind)")
        var counting = cursor
        _ = try counting.next()
        #expect(try counting.countRemaining() == 9, "\(kind)")
    }

    @Test func seekForwardAndReverse() throws {
        try Self.withBothCursors { cursor, kind in
            var c = cursor
            try c.seek(to: [4])
            #expect(try c.next()?.key == [4], "\(kind)")
            try c.seek(to: [6, 1])  // between keys: the next one up
            #expect(try c.next()?.key == [7], "\(kind)")
            try c.seek(to: [2])  // backwards
            #expect(try c.collect(limit: 2).map(\.key) == [[2], [3]], "\(kind)")
            try c.seek(to: [0xFF])
            #expect(try c.next() == nil, "\(kind)")
        }
        try Self.withBothCursors(reverse: true) { cursor, kind in
            var c = cursor
            try c.seek(to: [4])
            #expect(try c.next()?.key == [4], "\(kind)")
            try c.seek(to: [6, 1])  // between keys: the next one down
            #expect(try c.next()?.key == [6], "\(kind)")
            try c.seek(to: [8])  // backwards, i.e. up again
            #expect(try c.collect(limit: 2).map(\.key) == [[8], [7]], "\(kind)")
            try c.seek(to: [0])
            #expect(try c.collect().map(\.key) == [[0]], "\(kind)")
        }
        // A seek never leaves the cursor's range.
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let tree = try db.tree("t")
        for i in UInt8(0)...9 { try tree.insert([i], forKey: [i]) }
        var bounded = try tree.range(.excluded([2]), .excluded([6]))
        try bounded.seek(to: [0])
        #expect(try Array(bounded).map(\.key) == [[3], [4], [5]])
        try db.write { tx in
            try tx[tree].insert([0], forKey: [5, 5])
            var reversed = try tx[tree].range(.excluded([2]), .excluded([6]), reverse: true)
            try reversed.seek(to: [9])
            #expect(try Array(reversed).map(\.key) == [[5, 5], [5], [4], [3]])
        }
        try db.close()
    }

    @Test func forEachBorrowedLendsWhatNextReturns() throws {
        try Self.withBothCursors(reverse: true) { cursor, kind in
            var borrowed = cursor
            var seen: [Entry] = []
            try borrowed.forEachBorrowed { key, value in
                seen.append(Entry(key: Array(key), value: Array(value)))
                return seen.count < 7
            }
            #expect(try seen == Array(cursor).prefix(7).map { $0 }, "\(kind)")
        }
    }

    /// A transaction's cursor sees the writes made while it walks to keys it has not passed.
    @Test func aTransactionCursorSeesWritesAheadOfIt() throws {
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        let tree = try db.tree("t")
        for i in UInt8(0)...9 where i % 2 == 0 { try tree.insert([i], forKey: [i]) }
        try db.write { tx in
            var cursor = try tx[tree].range(.unbounded, .unbounded)
            #expect(try cursor.next()?.key == [0])
            try tx[tree].insert([1], forKey: [1])   // ahead: seen
            try tx[tree].insert([0], forKey: [0, 0]) // ahead: seen
            try tx[tree].remove([2])                 // ahead: hidden
            #expect(try cursor.collect(limit: 3).map(\.key) == [[0, 0], [1], [4]])
            try tx[tree].insert([3], forKey: [3])   // behind: not seen
            try tx[tree].clear()                     // hides the committed entries not yet read
            try tx[tree].insert([9], forKey: [9])
            #expect(try Array(cursor).map(\.key) == [[9]])
        }
        try db.close()
    }
}
