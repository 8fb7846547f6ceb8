import StrataEngine
import StrataTestSupport
import Testing

@Suite struct SalvageTests {
    /// A copy of every file, as if the directory were copied while the database was open.
    private func copy(_ fs: MemoryFileSystem) -> MemoryFileSystem {
        let copy = MemoryFileSystem()
        let (directories, files) = fs.allEntries()
        for directory in directories.sorted() { try? copy.createDirectory(directory) }
        for (path, bytes) in files { copy.setContents(bytes, of: path) }
        return copy
    }

    private func key(_ i: Int) -> [UInt8] { Array("key-\(100_000 + i)".utf8) }
    private func value(_ i: Int) -> [UInt8] { [UInt8](repeating: UInt8(i % 251), count: 100) }

    @Test func salvageKeepsEveryReadablePageAndCommitUpToTheDamage() throws {
        let fs = MemoryFileSystem()
        var configuration = EngineFixtures.smallConfiguration(fs)
        configuration.compression = false
        let db = try Database.open(at: "/db", configuration: configuration)
        let a = try db.tree("a")
        let b = try db.tree("b")
        try db.write { tx in
            for i in 0..<3000 { try tx.insert(value(i), forKey: key(i), in: a) }
            for i in 0..<500 { try tx.insert(value(i), forKey: key(i), in: b) }
        }
        try db.checkpoint()
        for i in 0..<11 { try a.insert(value(5000 + i), forKey: key(5000 + i)) }
        try db.flush()
        let damaged = copy(fs)
        try db.close()

        // Damage one leaf of the checkpoint (the first page of the first segment) and the
        // last frame of the WAL.
        let segment = "/db/seg-00000001.dat"
        var bytes = try #require(damaged.contents(of: segment))
        bytes[40] ^= 0xFF
        damaged.setContents(bytes, of: segment)
        let walName = try #require(try damaged.contentsOfDirectory("/db").filter { $0.hasPrefix("wal-") }.max())
        var wal = try #require(damaged.contents(of: "/db/" + walName))
        wal[wal.count - 3] ^= 0xFF
        damaged.setContents(wal, of: "/db/" + walName)

        var salvageConfiguration = EngineFixtures.smallConfiguration(damaged)
        salvageConfiguration.compression = false
        let report = try Database.salvage(from: "/db", into: "/new", configuration: salvageConfiguration)
        #expect(report.pagesLost == 1)
        #expect(report.commitsReplayed == 10)
        #expect(report.problems.count == 2)

        let salvaged = try Database.open(at: "/new", configuration: salvageConfiguration)
        try salvaged.verify()
        let newA = try #require(try salvaged.existingTree("a"))
        let newB = try #require(try salvaged.existingTree("b"))
        #expect(try newB.count == 500)
        let lostFromA = 3000 - (try newA.count - 10)
        #expect(lostFromA > 0 && lostFromA < 100)
        #expect(report.keys == 3500 + 10 - lostFromA)
        var cursor = try newA.range(.unbounded, .unbounded)
        while let entry = try cursor.next() {
            let index = Int(String(decoding: entry.key.dropFirst(4), as: UTF8.self))! - 100_000
            #expect(entry.value == value(index))
        }
        for i in 0..<10 { #expect(try newA.get(key(5000 + i)) == value(5000 + i)) }
        #expect(try newA.get(key(5010)) == nil)
        try salvaged.close()
    }

    @Test func salvageRefusesANonEmptyDestinationAndAnOpenSource() throws {
        let fs = MemoryFileSystem()
        let configuration = EngineFixtures.smallConfiguration(fs)
        let db = try Database.open(at: "/db", configuration: configuration)
        try db.tree("t").insert([1], forKey: [1])
        expectStrataError(.locked) { try Database.salvage(from: "/db", into: "/new", configuration: configuration) }
        try db.close()
        try fs.createDirectory("/full")
        fs.setContents([1], of: "/full/x")
        expectStrataError(.invalidArgument) { try Database.salvage(from: "/db", into: "/full", configuration: configuration) }
        #expect(fs.contents(of: "/full/x") == [1])
        let report = try Database.salvage(from: "/db", into: "/new", configuration: configuration)
        #expect(report.keys == 1 && report.problems.isEmpty)
    }
}
