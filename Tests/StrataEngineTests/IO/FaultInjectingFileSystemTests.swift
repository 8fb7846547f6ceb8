import StrataTestSupport
import SystemPackage
import Testing

@testable import StrataEngine

@Suite struct FaultInjectingFileSystemTests {
    @Test func nthWriteFailsWithEIO() throws {
        let memory = MemoryFileSystem()
        let fs = FaultInjectingFileSystem(wrapping: memory, rules: [.init(.write, .nth(2))])
        let file = try fs.openFile("/data", create: true)
        try file.write([1], at: 0)
        let error = expectStrataError(.ioFailure) { try file.write([2], at: 1) }
        #expect(error?.cause as? Errno == .ioError)
        #expect(error?.path == "/data")
        try file.write([3], at: 1)
        #expect(memory.contents(of: "/data") == [1, 3])
        #expect(fs.count(of: .write) == 3)
        #expect(fs.injectedFaultCount == 1)
    }

    @Test func noSpaceWriteMayLeaveAPrefix() throws {
        let memory = MemoryFileSystem()
        let fs = FaultInjectingFileSystem(wrapping: memory)
        let file = try fs.openFile("/data", create: true)
        fs.addRule(.init(.write, .every, fault: .noSpace(writingPrefix: true)))
        let error = expectStrataError(.ioFailure) { try file.write([1, 2, 3, 4], at: 0) }
        #expect(error?.cause as? Errno == .noSpace)
        #expect(memory.contents(of: "/data") == [1, 2])

        fs.removeAllRules()
        fs.addRule(.init(.write, .every, fault: .noSpace(writingPrefix: false)))
        expectStrataError(.ioFailure) { try file.write([5, 6, 7, 8], at: 0) }
        #expect(memory.contents(of: "/data") == [1, 2])
    }

    /// What the fault campaign checks: a path synced again after its sync failed is noted.
    @Test func syncsRetriedAfterAFailureAreNoted() throws {
        let fs = FaultInjectingFileSystem(wrapping: MemoryFileSystem())
        try fs.createDirectory("/db")
        let a = try fs.openFile("/db/a", create: true)
        let b = try fs.openFile("/db/b", create: true)
        try a.sync()
        fs.addRule(.init(.sync, .nth(1)))
        fs.addRule(.init(.syncDirectory, .nth(1)))
        expectStrataError(.ioFailure) { try a.sync() }
        expectStrataError(.ioFailure) { try fs.syncDirectory("/db") }
        try b.sync()
        #expect(fs.syncsAfterFailure.isEmpty)
        try a.sync()
        try fs.syncDirectory("/db")
        try a.sync()
        #expect(fs.syncsAfterFailure == ["/db/a", "/db", "/db/a"])
    }

    @Test(arguments: FaultInjectingFileSystem.Operation.allCases)
    func everyOperationKindCanFail(_ operation: FaultInjectingFileSystem.Operation) throws {
        let memory = MemoryFileSystem()
        try memory.createDirectory("/db")
        memory.setContents([1, 2, 3], of: "/db/data")
        let fs = FaultInjectingFileSystem(wrapping: memory)
        let file = try fs.openFile("/db/data", create: false)
        fs.addRule(.init(operation, .every))
        let error = expectStrataError(.ioFailure, "\(operation)") {
            switch operation {
            case .open: _ = try fs.openFile("/db/data", create: false)
            case .read: _ = try file.readExactly(at: 0, count: 1)
            case .write: try file.write([9], at: 0)
            case .sync: try file.sync()
            case .setLength: try file.setLength(0)
            case .rename: try fs.rename("/db/data", to: "/db/moved")
            case .remove: try fs.removeFile("/db/data")
            case .syncDirectory: try fs.syncDirectory("/db")
            case .createDirectory: try fs.createDirectory("/db/sub")
            }
        }
        #expect(error?.cause as? Errno == .ioError)
        // The failed call changed nothing.
        #expect(memory.contents(of: "/db/data") == [1, 2, 3])
        #expect(try memory.kind(of: "/db/sub") == .missing)
        #expect(fs.count(of: operation) >= 1)
    }

    @Test func fromNthFailsFromThereOn() throws {
        let fs = FaultInjectingFileSystem(wrapping: MemoryFileSystem(), rules: [.init(.sync, .fromNth(3))])
        let file = try fs.openFile("/data", create: true)
        try file.sync()
        try file.sync()
        for _ in 0..<3 { expectStrataError(.ioFailure) { try file.sync() } }
        #expect(fs.count(of: .sync) == 5)
    }

    @Test func randomFailuresAreReproducibleFromTheSeed() throws {
        func failurePattern(seed: UInt64) throws -> [Bool] {
            let fs = FaultInjectingFileSystem(
                wrapping: MemoryFileSystem(), rules: [.init(.read, .random(probability: 0.3, seed: seed))])
            let file = try fs.openFile("/data", create: true)
            try file.write([1], at: 0)
            return (0..<200).map { _ in (try? file.readExactly(at: 0, count: 1)) == nil }
        }
        let pattern = try failurePattern(seed: 42)
        #expect(try failurePattern(seed: 42) == pattern)
        let failures = pattern.filter { $0 }.count
        #expect((30...90).contains(failures))
    }
}
