import StrataTestSupport
import SystemPackage
import Testing

@testable import StrataEngine

/// The behaviour every FileSystem must share, checked on the real one and the in-memory ones.
@Suite struct FileSystemContractTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case posix, memory, crashSimulating, faultInjecting
        var testDescription: String { rawValue }
    }

    /// A file system and a fresh directory in it; keeps the temporary directory alive.
    struct Fixture {
        let fs: any FileSystem
        let root: String
        let temporary: TemporaryDirectory?

        init(_ backend: Backend) throws {
            switch backend {
            case .posix:
                let temporary = try TemporaryDirectory()
                (fs, root, self.temporary) = (PosixFileSystem(), temporary.path, temporary)
            case .memory:
                (fs, root, temporary) = (MemoryFileSystem(), "/db", nil)
            case .crashSimulating:
                (fs, root, temporary) = (CrashSimulatingFileSystem(), "/db", nil)
            case .faultInjecting:
                (fs, root, temporary) = (FaultInjectingFileSystem(wrapping: MemoryFileSystem()), "/db", nil)
            }
            try fs.createDirectory(root)
        }
    }

    @Test(arguments: Backend.allCases)
    func writeReadLengthAndSetLength(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let file = try fixture.fs.openFile(fixture.root + "/data", create: true)
        #expect(try file.length() == 0)
        try file.write([1, 2, 3, 4, 5], at: 0)
        try file.write([9, 9], at: 8)  // leaves a zero-filled gap
        #expect(try file.length() == 10)
        #expect(try file.readExactly(at: 0, count: 10) == [1, 2, 3, 4, 5, 0, 0, 0, 9, 9])
        try file.sync()

        var buffer = [UInt8](repeating: 0xFF, count: 8)
        let got = try buffer.withUnsafeMutableBytes { try file.read(at: 6, into: $0) }
        #expect(got == 4)
        #expect(buffer.prefix(4) == [0, 0, 9, 9])
        #expect(throws: StrataError.self) { try file.readExactly(at: 6, count: 8) }

        try file.setLength(3)
        #expect(try file.length() == 3)
        try file.setLength(6)
        #expect(try file.readExactly(at: 0, count: 6) == [1, 2, 3, 0, 0, 0])
        try file.close()
    }

    @Test(arguments: Backend.allCases)
    func reopenSeesWrittenBytes(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let path = fixture.root + "/data"
        let first = try fixture.fs.openFile(path, create: true)
        try first.write(Array("hello".utf8), at: 0)
        try first.close()
        let second = try fixture.fs.openFile(path, create: false)
        #expect(try second.readExactly(at: 0, count: 5) == Array("hello".utf8))
        try second.close()
    }

    @Test(arguments: Backend.allCases)
    func renameReplacesAndRemoveDeletes(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let (fs, root) = (fixture.fs, fixture.root)
        let old = try fs.openFile(root + "/a", create: true)
        try old.write([1], at: 0)
        try old.close()
        let new = try fs.openFile(root + "/b", create: true)
        try new.write([2], at: 0)
        try new.close()

        try fs.rename(root + "/b", to: root + "/a")
        try fs.syncDirectory(root)
        #expect(try fs.kind(of: root + "/b") == .missing)
        #expect(try fs.openFile(root + "/a", create: false).readExactly(at: 0, count: 1) == [2])
        #expect(try fs.contentsOfDirectory(root) == ["a"])

        try fs.removeFile(root + "/a")
        #expect(try fs.kind(of: root + "/a") == .missing)
        #expect(try fs.contentsOfDirectory(root).isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func missingThingsAreNotFound(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let (fs, root) = (fixture.fs, fixture.root)
        expectStrataError(.fileNotFound) { try fs.openFile(root + "/missing", create: false) }
        expectStrataError(.fileNotFound) { try fs.removeFile(root + "/missing") }
        expectStrataError(.fileNotFound) { try fs.rename(root + "/missing", to: root + "/x") }
        expectStrataError(.fileNotFound) { try fs.openFile(root + "/no/such/dir", create: true) }
        #expect(try fs.kind(of: root + "/missing") == .missing)
    }

    @Test(arguments: Backend.allCases)
    func createDirectoryMakesParentsAndListsKinds(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let (fs, root) = (fixture.fs, fixture.root)
        try fs.createDirectory(root + "/x/y/z")
        try fs.createDirectory(root + "/x/y/z")  // already there: fine
        #expect(try fs.kind(of: root + "/x") == .directory)
        #expect(try fs.kind(of: root + "/x/y/z") == .directory)
        try fs.openFile(root + "/x/file", create: true).close()
        #expect(try fs.kind(of: root + "/x/file") == .regularFile)
        #expect(try Set(fs.contentsOfDirectory(root + "/x")) == ["y", "file"])
        #expect(throws: StrataError.self) { try fs.createDirectory(root + "/x/file") }
    }

    @Test(arguments: Backend.allCases)
    func secondLockFailsUntilUnlocked(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let lock = try fixture.fs.lockDirectory(fixture.root)
        expectStrataError(.locked) { try fixture.fs.lockDirectory(fixture.root) }
        #expect(try fixture.fs.kind(of: fixture.root + "/LOCK") == .regularFile)
        lock.unlock()
        lock.unlock()  // harmless
        let again = try fixture.fs.lockDirectory(fixture.root)
        again.unlock()
    }

    @Test(arguments: Backend.allCases)
    func useAfterCloseThrowsClosed(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let file = try fixture.fs.openFile(fixture.root + "/data", create: true)
        try file.close()
        expectStrataError(.closed) { try file.readExactly(at: 0, count: 1) }
        expectStrataError(.closed) { try file.write([1], at: 0) }
        expectStrataError(.closed) { try file.sync() }
        expectStrataError(.closed) { try file.close() }
    }

    @Test(arguments: Backend.allCases)
    func openHandleSurvivesRenameAndRemove(_ backend: Backend) throws {
        let fixture = try Fixture(backend)
        let (fs, root) = (fixture.fs, fixture.root)
        let file = try fs.openFile(root + "/a", create: true)
        try file.write([7], at: 0)
        try fs.rename(root + "/a", to: root + "/b")
        try file.write([8], at: 1)
        #expect(try fs.openFile(root + "/b", create: false).readExactly(at: 0, count: 2) == [7, 8])
        try fs.removeFile(root + "/b")
        #expect(try file.readExactly(at: 0, count: 2) == [7, 8])
    }
}
