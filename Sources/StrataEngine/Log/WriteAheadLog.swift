#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The redo log writer: commits append framed records to a buffer; the buffer is written to
/// the current WAL file when it grows, on ``sync(through:)`` and on rotation.
///
/// Group commit: a synced commit takes `syncLock`; if an fsync that finished while it waited
/// already covered its sequence number it returns at once, otherwise it writes everything
/// buffered so far (its own and other threads' records) and fsyncs once for all of them.
///
/// Before that fsync it briefly gathers (at most ``gatherWindow``): if other threads have
/// started synced commits that are not yet appended, it yields until they are waiting too, so
/// that one fsync covers them rather than the next one. One committing thread never waits.
///
/// A failed write or fsync is final: the kernel may have dropped the pages it could not write
/// and a later fsync would report success for them, so from then on every sync and rotation
/// throws that first error (until the database is reopened and the log replayed from disk).
final class WriteAheadLog: Sendable {
    private struct State {
        var file: any StorageFile
        var fileID: UInt64
        var buffer: [UInt8] = []
        /// File offset of `buffer[0]`.
        var bufferStart: Int64
        var appendedSequence: UInt64
        var bytesSinceRotation: Int = 0
    }

    let directory: String
    let fileSystem: any FileSystem
    private let state: Lock<State>
    /// Serializes syncs and rotations, and holds the first write or fsync failure of one (set
    /// once, thrown by every later sync and rotation).
    private let syncLock = Lock<StrataError?>(nil)
    private let durable: Atomic<UInt64>
    /// Threads between ``syncedCommitStarted()`` and ``syncedCommitEnded()``.
    private let syncedCommitters = Atomic<Int>(0)
    /// Of those, the ones already inside ``sync(through:gathering:)``.
    private let syncWaiters = Atomic<Int>(0)
    private static let bufferLimit = 256 << 10
    /// The longest a syncing thread waits for other synced commits to join its fsync.
    static let gatherWindow = Duration.microseconds(100)

    /// Opens a new WAL file `id` for appending after `sequence`.
    init(directory: String, fileSystem: any FileSystem, newFileID id: UInt64, sequence: UInt64) throws {
        self.directory = directory
        self.fileSystem = fileSystem
        let file = try WriteAheadLog.createFile(directory: directory, fileSystem: fileSystem, id: id)
        state = Lock(State(file: file, fileID: id, bufferStart: Int64(LogFrame.fileHeaderSize), appendedSequence: sequence))
        durable = Atomic(sequence)
    }

    /// Continues appending to the existing, already replayed WAL file `id` of `length` bytes.
    /// `replayedFrames` false says replay found no frame in it to claim durable: the fsync
    /// is skipped (it costs milliseconds even on a clean file, and is most of an idle open).
    init(
        directory: String, fileSystem: any FileSystem, continuing id: UInt64, length: Int64, sequence: UInt64,
        replayedFrames: Bool = true
    ) throws {
        self.directory = directory
        self.fileSystem = fileSystem
        let file = try fileSystem.openFile(directory + "/" + DatabaseFiles.wal(id), create: false)
        // What replay read may still sit only in the OS cache (after a process kill): make it
        // durable before claiming it is.
        if replayedFrames { try file.sync() }
        state = Lock(State(file: file, fileID: id, bufferStart: length, appendedSequence: sequence))
        durable = Atomic(sequence)
    }

    /// A log that has no file: for a read-only database, whose writes are refused before they
    /// reach it. Its sequence numbers stay at `sequence`.
    init(detachedAfter sequence: UInt64, directory: String, fileSystem: any FileSystem) {
        self.directory = directory
        self.fileSystem = fileSystem
        let file = DetachedLogFile(path: directory + "/(read-only: no WAL file)")
        state = Lock(State(file: file, fileID: 0, bufferStart: 0, appendedSequence: sequence))
        durable = Atomic(sequence)
    }

    private static func createFile(directory: String, fileSystem: any FileSystem, id: UInt64) throws -> any StorageFile {
        let file = try fileSystem.openFile(directory + "/" + DatabaseFiles.wal(id), create: true)
        try file.setLength(0)
        try file.write(LogFrame.fileHeader(id: id), at: 0)
        try fileSystem.syncDirectory(directory)
        return file
    }

    /// The newest sequence number known to be durable.
    var durableSequence: UInt64 { durable.load(ordering: .acquiring) }

    var currentFileID: UInt64 { state.withLock { $0.fileID } }

    /// Bytes appended since the last rotation (the WAL budget's measure).
    var bytesSinceRotation: Int { state.withLock { $0.bytesSinceRotation } }

    var appendedSequence: UInt64 { state.withLock { $0.appendedSequence } }

    /// Appends one commit's frame (called under the writer lock, in sequence order).
    func append(_ frame: [UInt8], sequence: UInt64) throws {
        try state.withLock { s in
            s.buffer.append(contentsOf: frame)
            s.appendedSequence = sequence
            s.bytesSinceRotation += frame.count
            if s.buffer.count >= WriteAheadLog.bufferLimit { try writeBuffer(&s) }
        }
    }

    /// Announces a commit that will call ``sync(through:gathering:)`` with `gathering: true`.
    func syncedCommitStarted() { syncedCommitters.add(1, ordering: .relaxed) }

    /// Ends what ``syncedCommitStarted()`` began, whether or not the commit synced.
    func syncedCommitEnded() { syncedCommitters.subtract(1, ordering: .relaxed) }

    /// Returns once every commit up to `sequence` is durable. With `gathering`, the caller has
    /// announced its commit, and a sync it leads waits briefly for the other announced ones.
    func sync(through sequence: UInt64, gathering: Bool = false) throws {
        if durableSequence >= sequence { return }
        if gathering { syncWaiters.add(1, ordering: .relaxed) }
        defer { if gathering { syncWaiters.subtract(1, ordering: .relaxed) } }
        try syncLock.withLock { failure in
            if durableSequence >= sequence { return }
            if let failure { throw failure }
            if gathering { gatherSyncedCommits() }
            try writeAndSync(failure: &failure)
        }
    }

    /// Writes the buffer and fsyncs the current file (under `syncLock`), and returns that file;
    /// a failure is recorded in `failure` before it is thrown.
    @discardableResult
    private func writeAndSync(failure: inout StrataError?) throws -> any StorageFile {
        do {
            let (file, target) = try state.withLock { s in
                try writeBuffer(&s)
                return (s.file, s.appendedSequence)
            }
            try file.sync()
            advanceDurable(to: target)
            return file
        } catch {
            let recorded = error as? StrataError ?? StrataError(.ioFailure, "WAL sync failed: \(error)")
            failure = recorded
            throw recorded
        }
    }

    /// Yields while announced synced commits have not yet reached `sync`, up to the window.
    private func gatherSyncedCommits() {
        guard syncWaiters.load(ordering: .relaxed) < syncedCommitters.load(ordering: .relaxed) else { return }
        let deadline = ContinuousClock.now + WriteAheadLog.gatherWindow
        while syncWaiters.load(ordering: .relaxed) < syncedCommitters.load(ordering: .relaxed), ContinuousClock.now < deadline {
            sched_yield()
        }
    }

    /// Makes everything appended durable, then starts WAL file `id`; later commits go there.
    /// Returns the length of the file it finished.
    @discardableResult
    func rotate(to id: UInt64) throws -> Int64 {
        try syncLock.withLock { failure in
            if let failure { throw failure }
            let file = try writeAndSync(failure: &failure)
            let newFile = try WriteAheadLog.createFile(directory: directory, fileSystem: fileSystem, id: id)
            let finished = state.withLock { s in
                let finished = s.bufferStart
                s.file = newFile
                s.fileID = id
                s.bufferStart = Int64(LogFrame.fileHeaderSize)
                s.bytesSinceRotation = 0
                return finished
            }
            try? file.close()
            return finished
        }
    }

    func close() {
        state.withLock { s in try? s.file.close() }
    }

    private func writeBuffer(_ s: inout State) throws {
        guard !s.buffer.isEmpty else { return }
        try s.file.write(s.buffer, at: s.bufferStart)
        s.bufferStart += Int64(s.buffer.count)
        s.buffer.removeAll(keepingCapacity: s.buffer.capacity <= 4 * WriteAheadLog.bufferLimit)
    }

    private func advanceDurable(to target: UInt64) {
        var current = durable.load(ordering: .relaxed)
        while current < target {
            let (exchanged, original) = durable.compareExchange(
                expected: current, desired: target, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }
}
