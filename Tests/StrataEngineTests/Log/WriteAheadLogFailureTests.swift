import StrataTestSupport
import Synchronization
import Testing

@testable import StrataEngine

/// After a failed fsync the kernel may have dropped the pages it could not write, and a later
/// fsync of the same file reports success for them. So once a WAL write or fsync fails, no
/// later sync may report anything durable: every one throws the first failure (ARCHITECTURE.md,
/// "I/O failure"). Without this, a committer waiting behind the failed group fsync could take
/// the lock, fsync again "successfully" and acknowledge a commit that is not on disk.
@Suite struct WriteAheadLogFailureTests {
    private func frame(_ sequence: UInt64) -> [UInt8] {
        LogFrame.encode(sequence: sequence, operations: [.put(tree: 1, key: [UInt8(sequence)], value: [1, 2, 3])])
    }

    private func openLog() throws -> (WriteAheadLog, FaultInjectingFileSystem) {
        let faulty = FaultInjectingFileSystem(wrapping: MemoryFileSystem())
        try faulty.createDirectory("/db")
        let wal = try WriteAheadLog(directory: "/db", fileSystem: faulty, newFileID: 1, sequence: 0)
        return (wal, faulty)
    }

    @Test func aFailedFsyncFailsEveryLaterSyncAndRotation() throws {
        let (wal, faulty) = try openLog()
        try wal.append(frame(1), sequence: 1)
        try wal.sync(through: 1)
        #expect(wal.durableSequence == 1)

        try wal.append(frame(2), sequence: 2)
        faulty.addRule(.init(.sync, .nth(1), fault: .ioError))
        let first = #expect(throws: StrataError.self) { try wal.sync(through: 2) }
        #expect(first?.code == .ioFailure)
        #expect(faulty.injectedFaultCount == 1)

        // The file system would now sync fine; the log must not claim commit 2 (or 3) anyway.
        try wal.sync(through: 1)  // durable before the failure: still fine
        let again = #expect(throws: StrataError.self) { try wal.sync(through: 2) }
        #expect(again?.message == first?.message)
        try wal.append(frame(3), sequence: 3)
        #expect(throws: StrataError.self) { try wal.sync(through: 3, gathering: true) }
        #expect(throws: StrataError.self) { try wal.rotate(to: 2) }
        #expect(wal.durableSequence == 1)
        #expect(faulty.injectedFaultCount == 1, "no later call failed; the log refused on its own")
    }

    @Test func aFailedWriteOfTheBufferFailsEveryLaterSync() throws {
        let (wal, faulty) = try openLog()
        try wal.append(frame(1), sequence: 1)
        faulty.addRule(.init(.write, .nth(1), fault: .noSpace(writingPrefix: true)))
        #expect(throws: StrataError.self) { try wal.sync(through: 1) }
        #expect(throws: StrataError.self) { try wal.sync(through: 1) }
        #expect(wal.durableSequence == 0)
    }

    /// The race itself, through the database: the first fsync is slow and fails while other
    /// durable commits queue behind it. None of them may be acknowledged, and the engine must
    /// not fsync the WAL again.
    @Test func durableCommitsQueuedBehindAFailedFsyncAreNotAcknowledged() async throws {
        let faulty = FaultInjectingFileSystem(wrapping: MemoryFileSystem())
        var configuration = Database.Configuration(fileSystem: faulty)
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        try db.flush()
        faulty.syncDelay = .milliseconds(30)
        faulty.addRule(.init(.sync, .nth(1), fault: .ioError))
        let acknowledged = SharedCounter()
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    do {
                        try tree.insert([UInt8(thread)], forKey: [UInt8(thread)], durability: .synced)
                        acknowledged.value.add(1, ordering: .relaxed)
                    } catch {}
                }
            }
        }
        #expect(faulty.injectedFaultCount == 1)
        #expect(acknowledged.value.load(ordering: .relaxed) == 0)
        #expect(faulty.syncsAfterFailure.isEmpty, "the WAL was fsynced again after its fsync failed")
        #expect(try db.statistics().writesDisabled)
        #expect(throws: StrataError.self) { try db.close() }
    }
}
