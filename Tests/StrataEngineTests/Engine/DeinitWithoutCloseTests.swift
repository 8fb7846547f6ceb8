import StrataTestSupport
import Testing

@testable import StrataEngine

/// A database released without `close()` must not checkpoint on whatever thread drops the last
/// reference (it used to run `close()`, two whole checkpoints, there). It flushes the WAL only.
@Suite struct DeinitWithoutCloseTests {
    @Test func releasingWithoutCloseFlushesTheWALAndWritesNoCheckpoint() throws {
        let fileSystem = MemoryFileSystem()
        let configuration = EngineFixtures.smallConfiguration(fileSystem)
        var epoch: UInt64 = 0
        do {
            let db = try Database.open(at: "/db", configuration: configuration)
            let tree = try db.tree("t")
            try tree.insert([1], forKey: [1])
            try db.checkpoint()
            epoch = try db.statistics().checkpointEpoch
            // Buffered commits, well under every budget: only the WAL's buffer holds them.
            for i in 0..<20 { try tree.insert([UInt8(i)], forKey: [2, UInt8(i)]) }
        }
        // Released: the directory lock is free, the superblock still holds the checkpoint
        // above, and the WAL (flushed by the release) holds the commits after it.
        let reopened = try Database.open(at: "/db", configuration: configuration)
        #expect(try reopened.statistics().checkpointEpoch == epoch)
        #expect(try reopened.existingTree("t")?.count == 21)
        try reopened.close()
    }
}
