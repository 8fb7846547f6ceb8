/// The committed changes after a given commit, read in order from the write-ahead log.
///
/// Made by ``Database/changes(since:)`` or ``Tree/changes(since:prefix:)``. It returns the
/// commits after `since` up to ``through``, the newest commit when the feed was made (made
/// durable first, so a crash cannot take back anything a feed returned); commits made later
/// are read by a new feed from the last sequence returned. It reads one commit at a time, so
/// its memory is one commit, and writers go on meanwhile.
///
/// ```swift
/// var feed = try db.changes(since: index.lastApplied)
/// while let commit = try feed.next() {
///     try index.apply(commit.changes, through: commit.sequence)
/// }
/// ```
///
/// A read throws ``StrataError/Code/changesUnavailable`` if the retention bound deleted a WAL
/// file the feed had not reached yet (a reader slower than the retained history), and
/// ``StrataError/Code/closed`` once the database is closed.
public struct ChangeFeed: Sendable {
    /// The feed returns the commits after this one.
    public let since: UInt64
    /// The last commit the feed returns: the newest when it was made.
    public let through: UInt64
    private let database: Database
    private let log: ChangeLog
    private let filter: Filter?
    private let files: [UInt64]
    private var fileIndex: Int
    private var file: (any StorageFile)?
    private var offset: Int64 = 0
    /// The sequence number of the last frame read.
    private var last: UInt64?

    init(database: Database, log: ChangeLog, since: UInt64, through: UInt64, position: ChangeLog.Position, filter: Filter?) {
        self.database = database
        self.log = log
        self.since = since
        self.through = through
        self.filter = filter
        files = position.files
        fileIndex = position.start
    }

    /// The next commit (with at least one change the filter admits), or nil after ``through``.
    /// Once it returns nil the feed has read every commit through ``through`` (a filtered one
    /// skips those without a change it admits): resume with `changes(since: through)`.
    public mutating func next() throws -> Commit? {
        while (last ?? since) < through {
            try database.checkOpen()
            guard let (sequence, operations) = try nextFrame() else { continue }
            guard sequence > since else { continue }
            var changes = operations.decoded.map { CommittedChange(sequence: sequence, $0) }
            if let filter { changes.removeAll { !filter.admits($0) } }
            if !changes.isEmpty { return Commit(sequence: sequence, changes: changes) }
        }
        file = nil
        return nil
    }

    /// Reads the next frame, or returns nil after moving on to the next file.
    private mutating func nextFrame() throws -> (UInt64, FrameOperations)? {
        guard let file = try currentFile() else { return nil }
        let path = file.path
        var header = [UInt8](repeating: 0, count: LogFrame.headerSize)
        let got = try header.withUnsafeMutableBytes { try file.read(at: offset, into: $0) }
        guard got == LogFrame.headerSize else {
            guard got == 0 else { throw StrataError.corruption("WAL frame is cut short", path: path, offset: offset) }
            self.file = nil
            fileIndex += 1
            return nil
        }
        var reader = ByteReader(header, offset: 4)
        let length = Int(try reader.readUInt32())
        guard length <= LogFrame.maxBodyLength else {
            throw StrataError.corruption("WAL frame is damaged", path: path, offset: offset)
        }
        let bytes = try file.readExactly(at: offset, count: LogFrame.headerSize + length + LogFrame.trailerSize)
        guard case .frame(let sequence, let operations, let size) = LogFrame.parse(bytes, at: 0) else {
            throw StrataError.corruption("WAL frame is damaged", path: path, offset: offset)
        }
        if let last, sequence != last + 1 {
            throw StrataError.corruption(
                "WAL frame has sequence \(sequence), expected \(last + 1)", path: path, offset: offset)
        }
        if last == nil, sequence > since + 1 {
            // The commits in between were in a file pruned after the feed was made.
            throw ChangeLog.unavailable(since: since, oldest: sequence - 1)
        }
        last = sequence
        offset += Int64(size)
        return (sequence, operations)
    }

    /// The open WAL file being read, opening the next one (after checking its header) if needed.
    private mutating func currentFile() throws -> (any StorageFile)? {
        if let file { return file }
        guard files.indices.contains(fileIndex) else {
            throw StrataError(
                .corruption, "the WAL ends at commit \(last ?? since), before commit \(through) the feed was made at",
                path: log.directory)
        }
        let path = log.directory + "/" + DatabaseFiles.wal(files[fileIndex])
        let opened: any StorageFile
        do {
            opened = try log.fileSystem.openFile(path, create: false)
        } catch {
            guard (try? log.fileSystem.kind(of: path)) == .missing else { throw error }
            let oldest = (try? log.oldestSince(through: through)) ?? through
            throw ChangeLog.unavailable(since: last ?? since, oldest: oldest)
        }
        let header = try opened.readExactly(at: 0, count: LogFrame.fileHeaderSize)
        guard header == LogFrame.fileHeader(id: files[fileIndex]) else {
            throw StrataError.corruption("WAL file header is invalid", path: path, offset: 0)
        }
        file = opened
        offset = Int64(LogFrame.fileHeaderSize)
        return opened
    }
}
