import StrataTestSupport
import Testing

@testable import StrataEngine

/// Regression (found by `fault-campaign --seed 11`): a checkpoint started by a commit's dirty
/// budget failed (here: `setLength` of the new WAL file), which the commit by design does not
/// throw; it only disables writes. A `close()` right after skipped its checkpoint and returned
/// normally, so the failure never surfaced as an error.
@Suite struct CloseAfterFailedCheckpointTests {
    @Test func closeThrowsWhenACommitsCheckpointFailed() throws {
        var rng = SeededRandom.fromEnvironment(default: 11)
        let base = MemoryFileSystem()
        let faulty = FaultInjectingFileSystem(wrapping: base)
        var configuration = Database.Configuration(fileSystem: faulty)
        configuration.dirtyBytes = 64 << 10
        configuration.pageSize = 1024
        configuration.largeValueThreshold = 256
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        // The next WAL file's setLength fails: the checkpoint a commit starts fails.
        faulty.addRule(.init(.setLength, .nth(1), fault: .ioError))
        var committed = 0
        while faulty.injectedFaultCount == 0 {
            try db.write { tx in try tx.insert(rng.bytes(count: 200), forKey: Array("k\(committed)".utf8), in: tree) }
            committed += 1
            try #require(committed < 10_000, "no checkpoint started")
        }
        #expect(try db.statistics().writesDisabled)
        #expect(throws: StrataError.self) { try db.write { tx in try tx.insert([1], forKey: [1], in: tree) } }
        let error = #expect(throws: StrataError.self) { try db.close() }
        #expect(error?.code == .writesDisabled)

        // Nothing committed is lost: the WAL was synced before the new file was started.
        let reopened = try Database.open(at: "/db", configuration: Database.Configuration(fileSystem: base))
        #expect(try reopened.existingTree("t")?.count == committed)
        try reopened.close()
    }
}
