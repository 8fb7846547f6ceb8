import StrataTestSupport
import SystemPackage
import Testing

@testable import StrataEngine

@Suite struct PosixFileSystemTests {
    let fs = PosixFileSystem()

    @Test func lockIsExclusiveWithinOneProcess() throws {
        // flock locks belong to the open file description, so a second open of LOCK in the
        // same process must not get the lock either.
        let directory = try TemporaryDirectory()
        let lock = try fs.lockDirectory(directory.path)
        do {
            _ = try fs.lockDirectory(directory.path)
            Issue.record("second lock succeeded")
        } catch let error as StrataError {
            #expect(error.code == .locked)
            #expect(error.message.contains("already open"))
            #expect(error.path == directory.path + "/LOCK")
        }
        lock.unlock()
        try fs.lockDirectory(directory.path).unlock()
    }

    @Test func missingFileErrorCarriesErrno() throws {
        let directory = try TemporaryDirectory()
        do {
            _ = try fs.openFile(directory.appending("missing"), create: false)
            Issue.record("open succeeded")
        } catch let error as StrataError {
            #expect(error.code == .fileNotFound)
            #expect(error.cause as? Errno == .noSuchFileOrDirectory)
            #expect(error.message.hasPrefix("open failed: "))
            #expect(error.path == directory.appending("missing"))
        }
    }

    @Test func createDirectoryOverAFileFails() throws {
        let directory = try TemporaryDirectory()
        try fs.openFile(directory.appending("file"), create: true).close()
        expectStrataError(.ioFailure) { try fs.createDirectory(directory.appending("file/sub")) }
        expectStrataError(.ioFailure) { try fs.contentsOfDirectory(directory.appending("file")) }
    }

    @Test func largeWriteAndReadRoundTrip() throws {
        let directory = try TemporaryDirectory()
        var rng = SeededRandom.fromEnvironment(default: 7)
        let bytes = rng.bytes(count: 3 << 20 + 17)
        let file = try fs.openFile(directory.appending("big"), create: true)
        try file.write(bytes, at: 4096)
        try file.sync()
        try fs.syncDirectory(directory.path)
        #expect(try file.length() == Int64(4096 + bytes.count))
        #expect(try file.readExactly(at: 4096, count: bytes.count) == bytes, "\(rng.seedDescription)")
        try file.close()
    }

    @Test func concurrentReadsAndWritesOnOneFile() async throws {
        let directory = try TemporaryDirectory()
        let file = try fs.openFile(directory.appending("shared"), create: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let block = [UInt8](repeating: UInt8(task), count: 4096)
                    for round in 0..<16 {
                        let offset = Int64((round * 8 + task) * 4096)
                        try file.write(block, at: offset)
                        #expect(try file.readExactly(at: offset, count: 4096) == block)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try file.length() == 128 * 4096)
        try file.close()
    }

    @Test func syncDirectoryOfMissingDirectoryFails() throws {
        let directory = try TemporaryDirectory()
        expectStrataError(.fileNotFound) { try fs.syncDirectory(directory.appending("nope")) }
    }
}
