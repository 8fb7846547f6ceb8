/// The WAL files of a database read as history: the retained files older than the superblock's
/// `walStart` and the ones recovery replays, as one run of commits in sequence order.
///
/// Only files that run without a gap up to the newest are history (a gap is left by a
/// deletion that failed; what lies before it is unreachable and the next prune removes it).
struct ChangeLog: Sendable {
    let directory: String
    let fileSystem: any FileSystem

    /// Where a feed starts: the history's files, and the index of the one holding `since + 1`.
    struct Position: Sendable {
        var files: [UInt64]
        var start: Int
    }

    /// The WAL files that form the history, oldest first.
    func files() throws -> [UInt64] {
        let ids = try fileSystem.contentsOfDirectory(directory).compactMap(DatabaseFiles.walID(fromName:)).sorted()
        guard var first = ids.indices.last else { return [] }
        while first > 0, ids[first - 1] == ids[first] - 1 { first -= 1 }
        return Array(ids[first...])
    }

    /// The file holding commit `since + 1`, given that commits through `through` are in the
    /// files. Throws `changesUnavailable` when the retained history starts after `since + 1`.
    func locate(since: UInt64, through: UInt64) throws -> Position {
        let files = try files()
        var oldestFirst: UInt64?
        for index in files.indices.reversed() {
            guard let first = try firstSequence(of: files[index]) else { continue }
            if first <= since &+ 1 { return Position(files: files, start: index) }
            oldestFirst = first
        }
        let oldest = (oldestFirst ?? through &+ 1) - 1
        guard since >= oldest else { throw ChangeLog.unavailable(since: since, oldest: oldest) }
        return Position(files: files, start: 0)
    }

    /// The smallest `since` the history can serve.
    func oldestSince(through: UInt64) throws -> UInt64 {
        for id in try files() {
            if let first = try firstSequence(of: id) { return min(first - 1, through) }
        }
        return through
    }

    /// The sequence number in the first frame header of WAL file `id`, or nil if the file holds
    /// no frame (or is gone: a prune removed it meanwhile). Only the header is read; the frame is
    /// checked when it is read.
    func firstSequence(of id: UInt64) throws -> UInt64? {
        let path = directory + "/" + DatabaseFiles.wal(id)
        guard let file = try? fileSystem.openFile(path, create: false) else { return nil }
        defer { try? file.close() }
        var header = [UInt8](repeating: 0, count: LogFrame.headerSize)
        let got = try header.withUnsafeMutableBytes { try file.read(at: Int64(LogFrame.fileHeaderSize), into: $0) }
        guard got == LogFrame.headerSize else { return nil }
        var reader = ByteReader(header, offset: 0)
        guard try reader.readUInt32() == LogFrame.magic else { return nil }
        reader = ByteReader(header, offset: 12)
        let sequence = try reader.readUInt64()
        return sequence > 0 ? sequence : nil
    }

    static func unavailable(since: UInt64, oldest: UInt64) -> StrataError {
        StrataError(
            .changesUnavailable,
            "changes since commit \(since) are no longer retained: the change history starts after commit \(oldest) "
                + "(changes(since: \(oldest)) is the oldest that can be read); rebuild what was derived from the feed, "
                + "or raise changeRetentionBytes")
    }
}
