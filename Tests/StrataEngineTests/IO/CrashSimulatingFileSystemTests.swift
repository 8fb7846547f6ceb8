import StrataTestSupport
import Testing

@testable import StrataEngine

@Suite struct CrashSimulatingFileSystemTests {
    /// A file system with `/db` durable and a durable, synced file `/db/data` holding `initial`.
    static func durableFile(_ initial: [UInt8]) throws -> (CrashSimulatingFileSystem, any StorageFile) {
        let fs = CrashSimulatingFileSystem()
        try fs.createDirectory("/db")
        let file = try fs.openFile("/db/data", create: true)
        try file.write(initial, at: 0)
        try file.sync()
        try fs.syncDirectory("/db")
        return (fs, file)
    }

    @Test(arguments: CrashMode.allCases)
    func syncedWritesSurviveEveryMode(_ mode: CrashMode) throws {
        var rng = SeededRandom.fromEnvironment(default: 1)
        let (fs, _) = try Self.durableFile([1, 2, 3])
        #expect(fs.pendingOperations.isEmpty)
        let image = fs.crashImage(using: &rng, mode: mode)
        #expect(image.contents(of: "/db/data") == [1, 2, 3])
        #expect(try image.kind(of: "/db") == .directory)
    }

    @Test func unsyncedWriteIsLostUnderDropUnsynced() throws {
        var rng = SeededRandom.fromEnvironment(default: 2)
        let (fs, file) = try Self.durableFile([1, 2, 3])
        try file.write([9, 9, 9, 9], at: 1)
        #expect(try file.readExactly(at: 0, count: 5) == [1, 9, 9, 9, 9])  // reads see written state
        #expect(fs.pendingOperations == [.write(path: "/db/data", offset: 1, count: 4)])
        let image = fs.crashImage(using: &rng, mode: .dropUnsynced)
        #expect(image.contents(of: "/db/data") == [1, 2, 3])
    }

    @Test func createdAndSyncedFileIsMissingWithoutDirectorySync() throws {
        var rng = SeededRandom.fromEnvironment(default: 3)
        let fs = CrashSimulatingFileSystem()
        try fs.createDirectory("/db")
        let file = try fs.openFile("/db/new", create: true)
        try file.write([1, 2], at: 0)
        try file.sync()
        #expect(fs.crashImage(using: &rng, mode: .dropUnsynced).contents(of: "/db/new") == nil)

        try fs.syncDirectory("/db")
        #expect(fs.crashImage(using: &rng, mode: .dropUnsynced).contents(of: "/db/new") == [1, 2])
    }

    @Test func durableCreationWithUnsyncedDataLeavesAnEmptyFile() throws {
        var rng = SeededRandom.fromEnvironment(default: 4)
        let fs = CrashSimulatingFileSystem()
        try fs.createDirectory("/db")
        let file = try fs.openFile("/db/new", create: true)
        try fs.syncDirectory("/db")
        try file.write([1, 2], at: 0)
        #expect(fs.crashImage(using: &rng, mode: .dropUnsynced).contents(of: "/db/new") == [])
    }

    @Test func removalAndRenameNeedDirectorySync() throws {
        var rng = SeededRandom.fromEnvironment(default: 5)
        let (fs, _) = try Self.durableFile([1])
        let temporary = try fs.openFile("/db/data.tmp", create: true)
        try temporary.write([2], at: 0)
        try temporary.sync()
        try fs.rename("/db/data.tmp", to: "/db/data")
        #expect(try fs.openFile("/db/data", create: false).readExactly(at: 0, count: 1) == [2])

        var image = fs.crashImage(using: &rng, mode: .dropUnsynced)
        #expect(image.contents(of: "/db/data") == [1])
        #expect(image.contents(of: "/db/data.tmp") == nil)

        try fs.syncDirectory("/db")
        image = fs.crashImage(using: &rng, mode: .dropUnsynced)
        #expect(image.contents(of: "/db/data") == [2])
        #expect(image.contents(of: "/db/data.tmp") == nil)

        try fs.removeFile("/db/data")
        #expect(fs.crashImage(using: &rng, mode: .dropUnsynced).contents(of: "/db/data") == [2])
        try fs.syncDirectory("/db")
        #expect(fs.crashImage(using: &rng, mode: .dropUnsynced).contents(of: "/db/data") == nil)
    }

    @Test func renameIsAtomicInEveryCrash() throws {
        var rng = SeededRandom.fromEnvironment(default: 6)
        let (fs, _) = try Self.durableFile([1])
        let temporary = try fs.openFile("/db/data.tmp", create: true)
        try temporary.write([2], at: 0)
        try temporary.sync()
        try fs.syncDirectory("/db")
        try fs.rename("/db/data.tmp", to: "/db/data")
        for mode in CrashMode.allCases {
            for _ in 0..<50 {
                let image = fs.crashImage(using: &rng, mode: mode)
                let old = image.contents(of: "/db/data") == [1] && image.contents(of: "/db/data.tmp") == [2]
                let new = image.contents(of: "/db/data") == [2] && image.contents(of: "/db/data.tmp") == nil
                #expect(old || new, "\(mode), \(rng.seedDescription)")
            }
        }
    }

    @Test func keepPrefixKeepsAnInOrderPrefixWithATornLastWrite() throws {
        var rng = SeededRandom.fromEnvironment(default: 7)
        let (fs, file) = try Self.durableFile([UInt8](repeating: 0, count: 40))
        // Ten writes of four bytes each, write i filling bytes 4i..<4i+4 with i+1.
        for index in 0..<10 {
            try file.write([UInt8](repeating: UInt8(index + 1), count: 4), at: Int64(index * 4))
        }
        var sawPartial = false
        var sawNone = false
        var sawAll = false
        for _ in 0..<300 {
            let bytes = try #require(fs.crashImage(using: &rng, mode: .keepPrefix).contents(of: "/db/data"))
            #expect(bytes.count == 40)
            // Written bytes form a prefix: once a byte is still 0, every later byte is too.
            guard let firstUnwritten = bytes.firstIndex(of: 0) else {
                sawAll = true
                continue
            }
            #expect(bytes[firstUnwritten...].allSatisfy { $0 == 0 }, "\(bytes), \(rng.seedDescription)")
            for position in 0..<firstUnwritten { #expect(bytes[position] == UInt8(position / 4 + 1)) }
            if firstUnwritten == 0 { sawNone = true }
            if firstUnwritten % 4 != 0 { sawPartial = true }
        }
        #expect(sawPartial && sawNone && sawAll, "\(rng.seedDescription)")
    }

    @Test func tornGarbageStaysWithinTheWriteAndItsSector() throws {
        var rng = SeededRandom.fromEnvironment(default: 8)
        let (fs, file) = try Self.durableFile([UInt8](repeating: 0xAA, count: 2048))
        try file.write([UInt8](repeating: 0x11, count: 1024), at: 256)
        var sawGarbage = false
        for _ in 0..<200 {
            let bytes = try #require(fs.crashImage(using: &rng, mode: .tornGarbage).contents(of: "/db/data"))
            #expect(bytes.count == 2048)
            // Outside the write nothing changes.
            #expect(bytes[..<256].allSatisfy { $0 == 0xAA } && bytes[1280...].allSatisfy { $0 == 0xAA })
            // Inside: intact bytes, then garbage up to a sector boundary, then old bytes.
            let intact = bytes[256...].prefix { $0 == 0x11 }.count
            let tear = 256 + intact
            let sectorEnd = min(1280, (tear + 511) / 512 * 512)
            #expect(bytes[sectorEnd..<1280].allSatisfy { $0 == 0xAA } || intact == 1024, "\(rng.seedDescription)")
            if bytes[tear..<sectorEnd].contains(where: { $0 != 0xAA && $0 != 0x11 }) { sawGarbage = true }
        }
        #expect(sawGarbage, "\(rng.seedDescription)")
    }

    @Test func reorderAcrossFilesCanKeepALaterWriteAndLoseAnEarlierOne() throws {
        var rng = SeededRandom.fromEnvironment(default: 9)
        let fs = CrashSimulatingFileSystem()
        try fs.createDirectory("/db")
        let first = try fs.openFile("/db/a", create: true)
        let second = try fs.openFile("/db/b", create: true)
        try fs.syncDirectory("/db")
        try first.write([1], at: 0)
        try second.write([2], at: 0)
        var sawReordered = false
        for _ in 0..<100 {
            let image = fs.crashImage(using: &rng, mode: .reorderAcrossFiles)
            if image.contents(of: "/db/a") == [] && image.contents(of: "/db/b") == [2] { sawReordered = true }
            // keepPrefix never loses a earlier write while keeping a later one.
            let prefix = fs.crashImage(using: &rng, mode: .keepPrefix)
            #expect(!(prefix.contents(of: "/db/a") == [] && prefix.contents(of: "/db/b") == [2]))
        }
        #expect(sawReordered, "\(rng.seedDescription)")
    }

    @Test func crashAfterOperationsStopsEveryMutation() throws {
        var rng = SeededRandom.fromEnvironment(default: 10)
        let (fs, file) = try Self.durableFile([1])
        let before = fs.operationCount
        fs.crashAfterOperations = before + 2
        try file.write([2], at: 0)
        try file.sync()
        #expect(fs.hasCrashed)
        expectStrataError(.ioFailure) { try file.write([3], at: 0) }
        expectStrataError(.ioFailure) { try file.sync() }
        expectStrataError(.ioFailure) { try fs.openFile("/db/other", create: true) }
        expectStrataError(.ioFailure) { try fs.removeFile("/db/data") }
        expectStrataError(.ioFailure) { try fs.syncDirectory("/db") }
        #expect(fs.operationCount == before + 2)
        #expect(try file.readExactly(at: 0, count: 1) == [2])  // reads still work
        #expect(try fs.kind(of: "/db/other") == .missing)
        #expect(fs.crashImage(using: &rng, mode: .dropUnsynced).contents(of: "/db/data") == [2])
    }

    @Test func restartFromACrashImage() throws {
        var rng = SeededRandom.fromEnvironment(default: 11)
        let (fs, file) = try Self.durableFile([1, 2])
        try file.write([3], at: 2)
        let restarted = CrashSimulatingFileSystem(startingFrom: fs.crashImage(using: &rng, mode: .dropUnsynced))
        #expect(restarted.pendingOperations.isEmpty)
        #expect(try restarted.openFile("/db/data", create: false).readExactly(at: 0, count: 2) == [1, 2])
        #expect(restarted.crashImage(using: &rng, mode: .dropUnsynced).contents(of: "/db/data") == [1, 2])
    }

    /// The classic atomic replace (write a temporary file, sync it, rename it over the old one,
    /// sync the directory), crashed after every possible operation in every mode: the file
    /// always holds the old contents or the new ones, never a mixture.
    @Test(arguments: CrashMode.allCases)
    func atomicReplaceSurvivesACrashAnywhere(_ mode: CrashMode) throws {
        var rng = SeededRandom.fromEnvironment(default: 12)
        let old = [UInt8](repeating: 1, count: 1000)
        let new = [UInt8](repeating: 2, count: 1500)
        func replace(in fs: CrashSimulatingFileSystem) throws {
            let temporary = try fs.openFile("/db/data.tmp", create: true)
            try temporary.write(Array(new[..<700]), at: 0)
            try temporary.write(Array(new[700...]), at: 700)
            try temporary.sync()
            try fs.rename("/db/data.tmp", to: "/db/data")
            try fs.syncDirectory("/db")
        }
        var crashPoint = 0
        while true {
            let (fs, _) = try Self.durableFile(old)
            fs.crashAfterOperations = fs.operationCount + crashPoint
            var completed = true
            do {
                try replace(in: fs)
            } catch StrataError.Code.ioFailure {
                #expect(fs.hasCrashed)
                completed = false
            }
            for _ in 0..<20 {
                let contents = fs.crashImage(using: &rng, mode: mode).contents(of: "/db/data")
                #expect(contents == old || contents == new, "crash after \(crashPoint), \(rng.seedDescription)")
            }
            if completed { break }
            crashPoint += 1
        }
        #expect(crashPoint == 6)  // create, write, write, sync, rename, syncDirectory
    }
}
