import Logging
import Synchronization

/// An open Strata database: one directory of named, ordered trees.
///
/// ```swift
/// let db = try Database.open(at: "/var/lib/agent/memory")
/// let nodes = try db.tree("nodes")
/// try nodes.insert(Array("hello".utf8), forKey: Array("greeting".utf8))
/// try db.write { tx in
///     try tx.insert(value, forKey: key, in: nodes)
///     try tx.remove(otherKey, from: edges)
/// }
/// try db.close()
/// ```
///
/// A `Database` is `Sendable`: use it from any thread. Writers are serialized by one writer
/// lock; readers never take it. Only one `Database` (in any process) may have a directory open.
public final class Database: Sendable {
    /// The database directory.
    public let path: String
    let configuration: Configuration
    let store: PageStore
    let wal: WriteAheadLog
    let published: Lock<PublishedState>
    let writer: Lock<WriterState>
    /// Which thread holds `writer` (a second take on that thread throws `reentrantWrite`).
    let writerOwner = WriterLockOwner()
    /// What ``statistics()`` reports of the writer's state, kept outside the writer lock so
    /// that it can be read inside a `write` closure and during a checkpoint.
    let writerSummary: Lock<WriterSummary>
    let subscriptions = SubscriptionRegistry()
    let superblockFile: any StorageFile
    let directoryLock: any DirectoryLock
    /// Set once a write or fsync failed: writes are refused until the database is reopened.
    let writeFailure = Lock<StrataError?>(nil)
    /// When the background scheduler next flushes the WAL.
    let flushSchedule: Lock<FlushSchedule>
    /// Obsolete files (WAL files, segments) whose deletion failed in this session.
    let failedDeletions = Atomic<Int>(0)
    let metrics: EngineMetrics
    var logger: Logger { configuration.logger }

    init(
        path: String, configuration: Configuration, store: PageStore, wal: WriteAheadLog,
        published: PublishedState, writer: WriterState, superblockFile: any StorageFile, lock: any DirectoryLock
    ) {
        self.path = path
        self.configuration = configuration
        self.store = store
        self.wal = wal
        self.published = Lock(published)
        self.writer = Lock(writer)
        self.writerSummary = Lock(WriterSummary(writer))
        self.superblockFile = superblockFile
        self.directoryLock = lock
        self.metrics = EngineMetrics(factory: configuration.metricsFactory, path: path)
        self.flushSchedule = Lock(FlushSchedule(interval: configuration.flushInterval, start: .now))
    }

    /// A database released without ``close()`` does not checkpoint on whatever thread dropped
    /// the last reference: it makes the commits appended so far durable (one write and fsync
    /// of the WAL, nothing when writes are disabled or nothing is pending), releases its files
    /// and the directory lock, and logs a warning if it held changes no checkpoint has written.
    /// The next open replays the WAL since the last checkpoint (at most about `walBytes`).
    deinit {
        guard !published.withLock({ $0.closed }) else { return }
        BackgroundScheduler.shared.unregister(self)
        writer.withLock { w in
            guard !w.released else { return }
            w.released = true
            let unwritten = w.changedSinceCheckpoint || !w.freed.isEmpty
            if !configuration.readOnly, writeFailure.withLock({ $0 == nil }), wal.appendedSequence > wal.durableSequence {
                try? wal.sync(through: wal.appendedSequence)
            }
            if unwritten && !configuration.readOnly {
                logger.warning(
                    "database released without close(): the WAL was flushed but no checkpoint written; the next open replays it",
                    metadata: ["path": "\(path)"])
            }
            releaseFiles()
        }
    }

    // MARK: Trees

    /// The tree called `name`, created (as a durable-on-flush commit) if it does not exist.
    ///
    /// Names are 1 to 255 bytes of UTF-8; names starting with `__strata` are reserved.
    /// `settings` apply when the tree is created; for an existing tree, settings other than
    /// ``TreeSettings/default`` must equal the stored ones (else `invalidArgument`). A tree a
    /// layer owns comes back read-only (``Tree/isWritable`` false): see ``TreeOwner``.
    public func tree(_ name: String, settings: TreeSettings = .default) throws -> Tree {
        try openTree(name, settings: settings, owner: nil)
    }

    /// The tree called `name` if it exists, without creating it (read-only if a layer owns it).
    public func existingTree(_ name: String) throws -> Tree? {
        try treeState(named: name).map { Tree(database: self, id: $0.id, name: name, isWritable: $0.owner == nil) }
    }

    /// The names of all trees, sorted.
    public func treeNames() throws -> [String] {
        try published.withLock { s in
            guard !s.closed else { throw closedError() }
            return s.treeIDs.keys.sorted()
        }
    }

    /// Deletes the tree called `name` and everything in it. Returns false if there was none.
    /// Throws ``StrataError/Code/ownedTree`` for a tree a layer owns (see
    /// ``dropTree(_:owner:)``).
    @discardableResult
    public func dropTree(_ name: String) throws -> Bool {
        try write { tx in try tx.dropTree(name) }
    }

    // MARK: Reading

    /// A consistent, read-only view of every tree at the latest commit. Writers never change
    /// what it shows; release it (let it go out of scope) so old segments can be reclaimed.
    public func snapshot() throws -> Snapshot {
        let (trees, epoch, sequence) = try published.withLock { s in
            guard !s.closed else { throw closedError() }
            s.readers.pin(s.epoch)
            return (s.trees, s.epoch, s.sequence)
        }
        return Snapshot(database: self, trees: trees, pin: ReaderPin(database: self, epoch: epoch), sequence: sequence)
    }

    /// Runs `body` with a snapshot of the latest commit.
    public func read<T>(_ body: (Snapshot) throws -> T) throws -> T {
        try body(try snapshot())
    }

    /// Runs `body` with the current root of tree `id`, holding off segment deletion meanwhile.
    func withRoot<T>(of id: UInt32, _ body: (TreeState) throws -> T) throws -> T {
        let (state, epoch) = try published.withLock { s in
            guard !s.closed else { throw closedError() }
            guard let tree = s.trees[id] else { throw droppedError(id) }
            s.readers.pin(s.epoch)
            return (tree, s.epoch)
        }
        defer { releaseReader(epoch: epoch) }
        return try body(state)
    }

    /// A pinned view of tree `id` for a cursor.
    func view(of id: UInt32) throws -> TreeView {
        let (state, epoch) = try published.withLock { s in
            guard !s.closed else { throw closedError() }
            guard let tree = s.trees[id] else { throw droppedError(id) }
            s.readers.pin(s.epoch)
            return (tree, s.epoch)
        }
        return TreeView(state: state, store: store, pin: ReaderPin(database: self, epoch: epoch))
    }

    func releaseReader(epoch: UInt64) {
        published.withLock { s in
            s.readers.release(epoch)
        }
    }

    // MARK: Durability

    /// Makes every commit made so far durable (one fsync of the WAL, shared with concurrent callers).
    public func flush() throws {
        try checkWritable()
        let target = wal.appendedSequence
        do {
            try wal.sync(through: target)
        } catch {
            throw disableWrites(error, while: "flushing the WAL")
        }
    }

    /// Writes every dirty page, the catalog and a superblock slot, so that an open after this
    /// replays no WAL. Runs on its own when the dirty, WAL or time budgets are exceeded.
    @discardableResult
    public func checkpoint() throws -> CheckpointReport? {
        try checkWritable()
        return try writerOwner.withLock(writer, call: "db.checkpoint()") { w in
            do {
                return try checkpointer.run(&w, force: true)
            } catch {
                throw disableWrites(error, while: "checkpointing")
            }
        }
    }

    /// Checkpoints, waits for nothing else, and closes the database. Further calls on it, its
    /// trees, snapshots and cursors throw ``StrataError/Code/closed``. Calling it twice is harmless.
    /// If writes were disabled by an earlier failure, it closes and then throws that
    /// ``StrataError/Code/writesDisabled`` error: the close was not clean.
    public func close() throws {
        guard !writerOwner.isHeldByCurrentThread else { throw WriterLockOwner.reentrantError("db.close()") }
        BackgroundScheduler.shared.unregister(self)
        var failure: (any Error)?
        writer.withLock { w in
            guard !w.released else { return }
            w.released = true
            if let refused = writeFailure.withLock({ $0 }) {
                // A failure (perhaps in a checkpoint a commit started, which the commit did not
                // throw) left the files in an unknown state: the close is not clean, say so.
                failure = refused
            } else if !published.withLock({ $0.closed }) && !configuration.readOnly {
                do {
                    // A second checkpoint of the same state when this one wrote: the fallback
                    // slot then needs nothing more than the newest (writeClosingCheckpoint).
                    if try checkpointer.run(&w, force: false) != nil { try checkpointer.writeClosingCheckpoint(&w) }
                } catch {
                    failure = error
                }
            }
            releaseFiles()
        }
        if let failure { throw failure }
    }

    /// Marks the database closed and releases its files and the directory lock (under the
    /// writer lock).
    private func releaseFiles() {
        published.withLock { $0.closed = true }
        store.close()
        subscriptions.finishAll()
        wal.close()
        store.segments.closeAll()
        try? superblockFile.close()
        directoryLock.unlock()
    }

    // MARK: Failure states

    func closedError() -> StrataError {
        StrataError(.closed, "the database at \(path) is closed")
    }

    func droppedError(_ id: UInt32) -> StrataError {
        StrataError(.notFound, "the tree was dropped (tree id \(id))")
    }

    /// Whether the database was opened with ``Configuration/readOnly``: it writes no file and
    /// every write throws ``StrataError/Code/readOnly``.
    public var isReadOnly: Bool { configuration.readOnly }

    /// Throws if the database is closed, read-only, or refuses writes after an I/O failure.
    func checkWritable() throws {
        if published.withLock({ $0.closed }) { throw closedError() }
        if configuration.readOnly {
            throw StrataError(.readOnly, "the database at \(path) is open read-only; open it without readOnly to write")
        }
        if let failure = writeFailure.withLock({ $0 }) { throw failure }
    }

    /// Records an I/O failure that leaves the files in an unknown state: from now on writes
    /// are refused until the database is reopened (reads keep working).
    @discardableResult
    func disableWrites(_ error: any Error, while action: String) -> StrataError {
        let cause = error as? StrataError
        let refused = StrataError(
            .writesDisabled,
            "writes are disabled after a failure while \(action); reopen the database to recover",
            path: cause?.path, offset: cause?.offset, cause: cause ?? StrataError(.ioFailure, "\(error)"))
        writeFailure.withLock { if $0 == nil { $0 = refused } }
        logger.error("writes disabled", metadata: ["action": "\(action)", "error": "\(error)"])
        return cause ?? refused
    }
}
