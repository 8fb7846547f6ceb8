import StrataTestSupport
import Testing

@testable import StrataEngine

/// After `close()`, snapshots, cursors and trees throw `closed`, as their docs say; they used
/// to keep reading (pages in memory, and segment files reopened after the lock was released).
@Suite struct ClosedReadsTests {
    @Test func snapshotsCursorsAndTreesThrowClosedAfterClose() throws {
        let directory = try TemporaryDirectory(prefix: "strata-closed")
        let path = directory.appending("db")
        let configuration = EngineFixtures.smallConfiguration(PosixFileSystem())
        let db = try Database.open(at: path, configuration: configuration)
        let tree = try db.tree("t")
        for i in 0..<500 { try tree.insert([UInt8](repeating: UInt8(i % 251), count: 40), forKey: [UInt8(i >> 8), UInt8(i & 0xFF)]) }
        try db.checkpoint()  // clean pages in segments
        try tree.insert([UInt8](repeating: 9, count: 2000), forKey: [0, 7])  // a dirty leaf, an out-of-line value
        let snapshot = try db.snapshot()
        var started = try tree.range(from: nil, to: nil)
        _ = try started.next()
        var fresh = try snapshot[tree].range(.unbounded, .unbounded)
        try db.close()
        let rows: [(String, () throws -> Void)] = [
            ("snapshot.get", { _ = try snapshot[tree].get([0, 7]) }),
            ("snapshot.get clean", { _ = try snapshot[tree].get([1, 100]) }),
            ("snapshot.withValue", { _ = try snapshot[tree].withValue(forKey: [0, 7]) { $0?.count } }),
            ("snapshot.contains", { _ = try snapshot[tree].contains([0, 1]) }),
            ("snapshot.count", { _ = try snapshot[tree].count }),
            ("snapshot.range", { _ = try snapshot[tree].range(.unbounded, .unbounded) }),
            ("started cursor", { _ = try started.next() }),
            ("fresh cursor", { _ = try fresh.next() }),
            ("forEachBorrowed", { try started.forEachBorrowed { _, _ in true } }),
            ("tree.get", { _ = try tree.get([0, 7]) }),
            ("tree.range", { _ = try tree.range(from: nil, to: nil) }),
            ("db.snapshot", { _ = try db.snapshot() }),
        ]
        for (label, body) in rows {
            expectStrataError(.closed, "\(label)", body)
        }
        let reopened = try Database.open(at: path, configuration: configuration)
        #expect(try reopened.existingTree("t")?.count == 500)
        try reopened.close()
    }
}
