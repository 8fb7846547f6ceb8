import StrataTestSupport
import Testing

@testable import StrataEngine

/// A failed deletion of an obsolete WAL file or segment is counted in `statistics()` (it used to
/// be only logged), leaves writes enabled, and the file is deleted again later (at open when
/// neither superblock slot needs it, else by a later checkpoint).
@Suite struct FailedDeletionTests {
    @Test func failedDeletionsOfObsoleteFilesAreCounted() throws {
        let memory = MemoryFileSystem()
        let fs = FaultInjectingFileSystem(wrapping: memory)
        let configuration = EngineFixtures.smallConfiguration(fs)
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        var rng = SeededRandom(seed: 8)
        #expect(try db.statistics().failedFileDeletions == 0)
        fs.addRule(.init(.remove, .every))
        // Rewrite the same keys round after round: every checkpoint rotates the WAL (the old
        // file becomes obsolete) and GC empties older segments.
        for _ in 0..<6 {
            for i in 0..<150 { try tree.insert(rng.bytes(count: 300), forKey: [UInt8(i)]) }
            try db.checkpoint()
        }
        let failed = fs.count(of: .remove)
        let statistics = try db.statistics()
        #expect(failed > 0)
        #expect(statistics.failedFileDeletions == failed)
        #expect(statistics.writesDisabled == false)
        let leftovers = try memory.contentsOfDirectory("/db")
        let segmentsReferenced = Set(statistics.segments.map { DatabaseFiles.segment($0.id) })
        let oldSegments = leftovers.filter { $0.hasPrefix("seg-") && !segmentsReferenced.contains($0) }
        let walFiles = leftovers.filter { $0.hasPrefix("wal-") }
        #expect(!oldSegments.isEmpty, "a segment deletion failed too: \(leftovers)")
        #expect(walFiles.count > 1, "\(leftovers)")
        let model = try EngineFixtures.contents(of: db)
        fs.removeAllRules()
        try db.close()
        var noHistory = EngineFixtures.smallConfiguration(memory)
        noHistory.changeRetentionBytes = 0
        let reopened = try Database.open(at: "/db", configuration: noHistory)
        #expect(try EngineFixtures.contents(of: reopened) == model)
        #expect(try reopened.statistics().failedFileDeletions == 0)
        // Open deletes what neither superblock slot needs; what the older slot still needs (the
        // segments the last checkpoint emptied, the WAL from its start) goes once two newer
        // checkpoints are durable.
        for round in 0..<2 {
            try reopened.tree("t").insert([UInt8(round)], forKey: [0])
            try reopened.checkpoint()
        }
        let after = try memory.contentsOfDirectory("/db")
        #expect(oldSegments.allSatisfy { !after.contains($0) }, "deleted again: \(after)")
        #expect(after.filter { $0.hasPrefix("wal-") }.count <= 2, "\(after)")
        try reopened.close()
    }
}
