import StrataEngine
import StrataTestSupport
import Testing

@Suite struct SpaceBoundTests {
    /// A database small enough to live inside its active segment, overwritten round after
    /// round: GC must seal and collect that segment, so the files stay within the bound.
    @Test func repeatedOverwritesInsideOneSegmentStayWithinTheBound() throws {
        var configuration = Database.Configuration(fileSystem: MemoryFileSystem())
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        configuration.pageSize = 1024
        configuration.largeValueThreshold = 512
        configuration.segmentSize = 8 << 20
        configuration.compression = false
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        var worst = 0.0
        for round in 0..<12 {
            try db.write { tx in
                for i in 0..<3000 {
                    try tx.insert([UInt8](repeating: UInt8(round), count: 100), forKey: Array("key-\(i)".utf8), in: tree)
                }
            }
            try db.checkpoint()
            let stats = try db.statistics()
            let amplification = Double(stats.segmentBytes) / Double(stats.liveBytes)
            if round >= 3 { worst = max(worst, amplification) }
        }
        // The bound is 1 / segmentGCRatio (1.43 at the default 0.7) plus the active segment's
        // newest pages; without sealing the active segment this grows past 10.
        #expect(worst < 2.5, "space amplification reached \(worst)")
        try db.verify()
        try db.close()
    }
}
