import StrataTestSupport
import Testing

@testable import StrataEngine

/// Every kind of bad input or damaged file gets its typed error and leaves stored data alone.
@Suite struct BadInputTests {
    /// A database at `/db` on `fs` with two trees of known contents.
    static func seeded(_ fs: MemoryFileSystem = MemoryFileSystem()) throws -> (Database, ReferenceModel) {
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        var model = ReferenceModel()
        for name in ["one", "two"] {
            let tree = try db.tree(name)
            model.createTree(name)
            for i in 0..<50 {
                let key = Array("\(name)-\(i)".utf8)
                try tree.insert([UInt8(i)], forKey: key)
                model.insert([UInt8(i)], forKey: key, in: name)
            }
        }
        return (db, model)
    }

    /// A copy of everything in `fs`, as it would be found by another process.
    static func copy(_ fs: MemoryFileSystem) -> MemoryFileSystem {
        let copy = MemoryFileSystem()
        let (directories, files) = fs.allEntries()
        for directory in directories { try? copy.createDirectory(directory) }
        for (path, bytes) in files { copy.setContents(bytes, of: path) }
        return copy
    }

    static func files(_ fs: MemoryFileSystem) -> [String: [UInt8]] { fs.allEntries().files }

    @Test func badKeysValuesAndNamesAreRejectedWithoutChangingData() throws {
        let (db, model) = try Self.seeded()
        let tree = try db.tree("one")
        let longKey = [UInt8](repeating: 1, count: Limits.maxKeyLength + 1)
        let hugeValue = [UInt8](repeating: 2, count: Limits.maxValueLength + 1)
        let longName = String(repeating: "n", count: Limits.maxTreeNameLength + 1)
        let rows: [(String, () throws -> Void)] = [
            ("insert empty key", { try tree.insert([1], forKey: []) }),
            ("get empty key", { _ = try tree.get([]) }),
            ("remove empty key", { try tree.remove([]) }),
            ("contains empty key", { _ = try tree.contains([]) }),
            ("insert long key", { try tree.insert([1], forKey: longKey) }),
            ("get long key", { _ = try tree.get(longKey) }),
            ("range long bound", { _ = try tree.range(.included(longKey), .unbounded) }),
            ("insert huge value", { try tree.insert(hugeValue, forKey: [1]) }),
            ("cas empty key", { try tree.compareAndSwap([], expected: nil, new: [1]) }),
            ("batch with one bad key", {
                try db.write { tx in
                    try tx.insert([9], forKey: Array("one-1".utf8), in: tree)
                    try tx.insert([9], forKey: [], in: tree)
                }
            }),
            ("batch with huge value", { try db.write { tx in try tx.insert(hugeValue, forKey: [7], in: tree) } }),
            ("empty tree name", { _ = try db.tree("") }),
            ("long tree name", { _ = try db.tree(longName) }),
            ("reserved tree name", { _ = try db.tree("__strata_catalog") }),
            ("drop empty name", { try db.dropTree("") }),
            ("tx tree reserved", { try db.write { tx in _ = try tx.tree("__strataX") } }),
        ]
        for (label, body) in rows {
            expectStrataError(.invalidArgument, "\(label)", body)
            #expect(try EngineFixtures.contents(of: db) == model, "\(label) changed stored data")
        }
        #expect(try db.treeNames() == ["one", "two"])
        try db.close()
    }

    @Test func aRegularFileIsNotADatabase() throws {
        let fs = MemoryFileSystem()
        fs.setContents(Array("hello".utf8), of: "/file")
        expectStrataError(.notADatabase) { try Database.open(at: "/file", configuration: EngineFixtures.smallConfiguration(fs)) }
        #expect(fs.contents(of: "/file") == Array("hello".utf8))
    }

    @Test func aForeignDirectoryIsNotADatabase() throws {
        let fs = MemoryFileSystem()
        fs.setContents(Array("notes".utf8), of: "/dir/notes.txt")
        let before = Self.files(fs)
        expectStrataError(.notADatabase) { try Database.open(at: "/dir", configuration: EngineFixtures.smallConfiguration(fs)) }
        #expect(Self.files(fs) == before, "a refused open must write nothing, not even a LOCK file")
    }

    @Test func aForeignDirectoryOnDiskIsLeftAsItWas() throws {
        let directory = try TemporaryDirectory(prefix: "strata-foreign")
        let path = directory.appending("dir")
        let fs = PosixFileSystem()
        try fs.createDirectory(path)
        let file = try fs.openFile(path + "/notes.txt", create: true)
        try file.write(Array("notes".utf8), at: 0)
        try file.close()
        expectStrataError(.notADatabase) { try Database.open(at: path, configuration: EngineFixtures.smallConfiguration(fs)) }
        #expect(try fs.contentsOfDirectory(path) == ["notes.txt"])
    }

    @Test func aNewerFormatVersionIsRefused() throws {
        let fs = MemoryFileSystem()
        let (db, _) = try Self.seeded(fs)
        try db.close()
        var bytes = fs.contents(of: "/db/SUPERBLOCK")!
        let newer = Superblock(
            formatVersion: 99, epoch: 1000, sequence: 0, walStart: 1, activeSegment: 1, nextSegment: 2,
            activeEnd: 0, catalog: nil)
        bytes.replaceSubrange(0..<Superblock.encodedSize, with: newer.encode())
        fs.setContents(bytes, of: "/db/SUPERBLOCK")
        let before = Self.files(fs)
        let error = expectStrataError(.formatVersion) {
            try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        }
        #expect(error?.message.contains("99") == true)
        #expect(Self.files(fs) == before, "a refused open must not touch the files")
    }

    @Test func aSecondOpenIsLockedUntilClose() throws {
        let fs = MemoryFileSystem()
        let (db, model) = try Self.seeded(fs)
        expectStrataError(.locked) { try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs)) }
        #expect(try EngineFixtures.contents(of: db) == model)
        try db.close()
        let again = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        #expect(try EngineFixtures.contents(of: again) == model)
        try again.close()
    }

    @Test func aSecondOpenOnDiskIsLocked() throws {
        let directory = try TemporaryDirectory(prefix: "strata-lock")
        let path = directory.appending("db")
        let db = try Database.open(at: path, configuration: EngineFixtures.smallConfiguration(PosixFileSystem()))
        try db.tree("t").insert([1], forKey: [1])
        expectStrataError(.locked) {
            try Database.open(at: path, configuration: EngineFixtures.smallConfiguration(PosixFileSystem()))
        }
        try db.close()
        let again = try Database.open(at: path, configuration: EngineFixtures.smallConfiguration(PosixFileSystem()))
        #expect(try again.existingTree("t")?.get([1]) == [1])
        try again.close()
    }

    @Test func useAfterCloseThrowsClosed() throws {
        let fs = MemoryFileSystem()
        let (db, model) = try Self.seeded(fs)
        let tree = try db.tree("one")
        var cursor = try tree.range(.unbounded, .unbounded)
        _ = try cursor.next()
        try db.close()
        try db.close()  // harmless twice
        expectStrataError(.closed) { try tree.get(Array("one-1".utf8)) }
        expectStrataError(.closed) { try tree.insert([1], forKey: [1]) }
        expectStrataError(.closed) { try tree.count }
        expectStrataError(.closed) { try tree.range(.unbounded, .unbounded) }
        expectStrataError(.closed) { try db.write { tx in try tx.insert([1], forKey: [1], in: tree) } }
        expectStrataError(.closed) { try db.snapshot() }
        expectStrataError(.closed) { try db.tree("new") }
        expectStrataError(.closed) { try db.treeNames() }
        expectStrataError(.closed) { try db.flush() }
        expectStrataError(.closed) { try db.checkpoint() }
        expectStrataError(.closed) { try db.statistics() }
        expectStrataError(.closed) { try db.verify() }
        expectStrataError(.closed) { try tree.watch() }
        // A cursor made before close: its pages may be cached, so the engine may still
        // return entries; once it must read a closed file it fails rather than crash.
        do {
            while try cursor.next() != nil {}
        } catch let error as StrataError {
            #expect(error.code == .closed || error.code == .ioFailure, "\(error)")
        }
        let reopened = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        #expect(try EngineFixtures.contents(of: reopened) == model)
        try reopened.close()
    }

    @Test func aTransactionUsedAfterItsClosureThrowsClosed() throws {
        let (db, model) = try Self.seeded()
        let tree = try db.tree("one")
        var escaped: Transaction?
        try db.write { tx in escaped = tx }
        let tx = try #require(escaped)
        expectStrataError(.closed) { try tx.insert([1], forKey: [1], in: tree) }
        expectStrataError(.closed) { try tx[tree].get(Array("one-1".utf8)) }
        expectStrataError(.closed) { try tx.remove(Array("one-1".utf8), from: tree) }
        expectStrataError(.closed) { try tx.clear(tree) }
        expectStrataError(.closed) { try tx.tree("x") }
        #expect(try EngineFixtures.contents(of: db) == model)
        try db.close()
    }

    @Test func aDroppedTreeIsNotFound() throws {
        let (db, seededModel) = try Self.seeded()
        var model = seededModel
        let tree = try db.tree("one")
        #expect(try db.dropTree("one"))
        model.drop("one")
        #expect(try !db.dropTree("one"))
        expectStrataError(.notFound) { try tree.get(Array("one-1".utf8)) }
        expectStrataError(.notFound) { try tree.insert([1], forKey: [1]) }
        expectStrataError(.notFound) { try tree.count }
        expectStrataError(.notFound) { try tree.range(.unbounded, .unbounded) }
        #expect(try EngineFixtures.contents(of: db) == model)
        // A tree of the same name is a new, empty tree; the old handle stays dropped.
        let recreated = try db.tree("one")
        #expect(try recreated.count == 0)
        expectStrataError(.notFound) { try tree.get(Array("one-1".utf8)) }
        try db.close()
    }

    /// A database left open (not checkpointed) after `commits` flushed commits: the files a
    /// crash would leave, with the WAL holding every commit.
    static func crashedWithWAL(commits: Int) throws -> (MemoryFileSystem, [ReferenceModel], walPath: String) {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        var models = [ReferenceModel()]
        let tree = try db.tree("t")
        var model = ReferenceModel()
        model.createTree("t")
        models.append(model)
        for i in 0..<commits {
            try tree.insert([UInt8(i)], forKey: [UInt8(i + 1)])
            model.insert([UInt8(i)], forKey: [UInt8(i + 1)], in: "t")
            models.append(model)
        }
        try db.flush()
        let image = copy(fs)
        try db.close()
        let wal = image.allEntries().files.keys.filter { $0.contains("/wal-") }.sorted()
        return (image, models, try #require(wal.last))
    }

    @Test func damageInANonLastWALFileIsCorruption() throws {
        let (fs, _, walPath) = try Self.crashedWithWAL(commits: 20)
        var bytes = fs.contents(of: walPath)!
        let middle = bytes.count / 2
        bytes[middle] ^= 0x5A
        fs.setContents(bytes, of: walPath)
        // A later WAL file makes the damaged one not the last.
        let id = DatabaseFiles.walID(fromName: String(walPath.split(separator: "/").last!))!
        fs.setContents(LogFrame.fileHeader(id: id + 1), of: "/db/" + DatabaseFiles.wal(id + 1))
        let error = expectStrataError(.corruption) {
            try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        }
        #expect(error?.path == walPath)
        #expect(error?.offset != nil)
        #expect(error.map { $0.offset! <= Int64(middle) } == true)
        #expect(fs.contents(of: walPath) == bytes, "a corrupt WAL must not be truncated")
    }

    @Test func aDamagedFrameFollowedByValidFramesIsCorruption() throws {
        let (fs, _, walPath) = try Self.crashedWithWAL(commits: 20)
        var bytes = fs.contents(of: walPath)!
        let target = LogFrame.fileHeaderSize + 40  // inside an early frame
        bytes[target] ^= 0xFF
        fs.setContents(bytes, of: walPath)
        let error = expectStrataError(.corruption) {
            try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        }
        #expect(error?.path == walPath)
        #expect(error?.offset != nil)
        #expect(fs.contents(of: walPath) == bytes, "a corrupt WAL must not be truncated")
    }

    @Test func aTornTailOfTheLastWALOpensWithThePrefix() throws {
        let (fs, models, walPath) = try Self.crashedWithWAL(commits: 20)
        let bytes = fs.contents(of: walPath)!
        fs.setContents(Array(bytes.prefix(bytes.count - 5)), of: walPath)
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let found = try EngineFixtures.contents(of: db)
        #expect(found == models[models.count - 2], "the torn last commit is cut off, the rest kept")
        try db.verify()
        try db.tree("t").insert([1], forKey: [200])
        try db.close()
    }

    @Test func aCorruptSegmentPageFailsVerify() throws {
        let fs = MemoryFileSystem()
        let (db, _) = try Self.seeded(fs)
        try db.close()
        let segment = try #require(fs.allEntries().files.keys.filter { $0.contains("/seg-") }.sorted().first)
        var bytes = fs.contents(of: segment)!
        bytes[40] ^= 0xFF  // inside the first page, not the catalog at the end
        fs.setContents(bytes, of: segment)
        let reopened = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let error = expectStrataError(.corruption) { try reopened.verify() }
        #expect(error?.path == segment)
        #expect(error?.offset != nil)
        try reopened.close()
    }

    @Test func bothSuperblockSlotsDamagedIsCorruption() throws {
        let fs = MemoryFileSystem()
        let (db, _) = try Self.seeded(fs)
        try db.close()
        var bytes = fs.contents(of: "/db/SUPERBLOCK")!
        bytes[20] ^= 0xFF
        bytes[Superblock.slotSize + 20] ^= 0xFF
        fs.setContents(bytes, of: "/db/SUPERBLOCK")
        let before = Self.files(fs)
        let error = expectStrataError(.corruption) {
            try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        }
        #expect(error?.path == "/db/SUPERBLOCK")
        #expect(Self.files(fs) == before)
    }

    @Test func aFailedWALSyncDisablesWritesButNotReads() throws {
        let memory = MemoryFileSystem()
        let faults = FaultInjectingFileSystem(wrapping: memory)
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(faults))
        let tree = try db.tree("t")
        try tree.insert([1], forKey: [1], durability: .synced)
        faults.addRule(.init(.sync, .nth(1)))
        let failure = #expect(throws: StrataError.self) { try tree.insert([2], forKey: [2], durability: .synced) }
        #expect(failure?.code == .ioFailure || failure?.code == .writesDisabled)
        faults.removeAllRules()
        expectStrataError(.writesDisabled) { try tree.insert([3], forKey: [3]) }
        expectStrataError(.writesDisabled) { try db.write { tx in try tx.remove([1], from: tree) } }
        expectStrataError(.writesDisabled) { try db.flush() }
        expectStrataError(.writesDisabled) { try db.checkpoint() }
        #expect(try tree.get([1]) == [1], "reads keep working")
        #expect(try db.statistics().writesDisabled)
        try? db.close()
        let reopened = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(memory))
        let recovered = try #require(try reopened.existingTree("t"))
        #expect(try recovered.get([1]) == [1], "the durable commit survives")
        #expect(try recovered.get([3]) == nil)
        try recovered.insert([4], forKey: [4], durability: .synced)
        #expect(try recovered.get([4]) == [4])
        try reopened.verify()
        try reopened.close()
    }
}
