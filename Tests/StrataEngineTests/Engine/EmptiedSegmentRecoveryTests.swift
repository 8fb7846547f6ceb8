import StrataTestSupport
import Testing

@testable import StrataEngine

/// Regression (found by `crash-campaign --seed 2`): a checkpoint that empties a segment writes
/// a catalog still listing it with zero live bytes, then deletes the file. An open of that
/// checkpoint (after a crash, or after a close with nothing new to checkpoint) kept the entry,
/// so the next checkpoint chose the segment for GC and failed reading a file that no longer
/// exists (and disabled writes).
@Suite struct EmptiedSegmentRecoveryTests {
    /// The engine suites' small configuration, with budgets large enough that only the
    /// test's explicit checkpoints run.
    static func configuration(_ fs: any FileSystem) -> Database.Configuration {
        var configuration = EngineFixtures.smallConfiguration(fs)
        configuration.dirtyBytes = 1 << 20
        configuration.walBytes = 1 << 20
        configuration.largeValueThreshold = 256
        configuration.segmentGCRatio = 0.5
        return configuration
    }

    @Test(arguments: [150, 200, 250, 300])
    func checkpointAfterCrashFollowingSegmentDeletion(keyCount: Int) throws {
        var rng = SeededRandom.fromEnvironment(default: 3)
        let fs = CrashSimulatingFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.configuration(fs))
        let tree = try db.tree("t")
        let keys = (0..<keyCount).map { Array("key\($0)".utf8) }
        // Fill more than one segment, then rewrite every key until an emptied segment is deleted.
        var deletedOne = false
        for round in 0..<12 where !deletedOne {
            try db.write { tx in
                for key in keys { try tx.insert(rng.bytes(count: 200), forKey: key, in: tree) }
            }
            try db.checkpoint()
            deletedOne = try (1...UInt32(round + 1)).contains { id in
                try fs.kind(of: "/db/" + DatabaseFiles.segment(id)) == .missing
            }
        }
        #expect(deletedOne, "no segment was emptied and deleted; the test no longer covers the case")

        // Power loss before the next checkpoint: the durable catalog still lists the segment.
        let image = fs.crashImage(using: &rng, mode: .dropUnsynced)
        let recovered = try Database.open(at: "/db", configuration: Self.configuration(image))
        let recoveredTree = try #require(try recovered.existingTree("t"))
        #expect(try recoveredTree.count == keys.count)
        try recoveredTree.insert([1, 2, 3], forKey: Array("after".utf8))
        try recovered.checkpoint()
        try recovered.close()

        let reopened = try Database.open(at: "/db", configuration: Self.configuration(image))
        #expect(try reopened.existingTree("t")?.get(Array("after".utf8)) == [1, 2, 3])
        _ = try reopened.verify()
        try reopened.close()
        withExtendedLifetime(db) {}
    }
}
