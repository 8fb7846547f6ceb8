import StrataTestSupport
import Testing

@testable import StrataEngine

/// A failed deletion of an obsolete WAL file or segment is counted in `statistics()` (it used to
/// be only logged), leaves writes enabled, and the next open deletes the file again.
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
        let reopened = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(memory))
        #expect(try EngineFixtures.contents(of: reopened) == model)
        #expect(try reopened.statistics().failedFileDeletions == 0)
        let after = try memory.contentsOfDirectory("/db")
        #expect(oldSegments.allSatisfy { !after.contains($0) }, "the next open deletes them again")
        #expect(after.filter { $0.hasPrefix("wal-") }.count == 1)
        try reopened.close()
    }
}
