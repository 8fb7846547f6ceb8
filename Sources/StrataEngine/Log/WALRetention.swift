/// Which WAL files a database keeps once a checkpoint has made them obsolete for recovery.
///
/// Files older than the superblock's `walStart` are never replayed; they are kept as the
/// history the change feed reads (``Database/changes(since:)``). The rule: of the obsolete
/// files that run without a gap up to `walStart - 1`, keep the newest ones while their total
/// size is at most ``Database/Configuration/changeRetentionBytes``, and delete the rest,
/// oldest first (so the kept history is always one unbroken run of sequence numbers).
/// With a retention of 0 every obsolete file is deleted, as a checkpoint always did.
struct WALRetention {
    let directory: String
    let fileSystem: any FileSystem
    let retentionBytes: Int

    /// The files to delete, oldest first, given every WAL file's id and size.
    static func obsolete(files: [(id: UInt64, bytes: Int64)], walStart: UInt64, retentionBytes: Int) -> [UInt64] {
        let old = files.filter { $0.id < walStart }.sorted { $0.id > $1.id }
        var kept = Int64(0)
        var expected = walStart &- 1
        var doomed: [UInt64] = []
        var keeping = true
        for file in old {
            if keeping, file.id == expected, kept + file.bytes <= Int64(retentionBytes) {
                kept += file.bytes
                expected = file.id &- 1
            } else {
                keeping = false
                doomed.append(file.id)
            }
        }
        return doomed.reversed()
    }

    /// Deletes the obsolete files beyond the retention bound, oldest first, given the sizes of
    /// the complete WAL files (recorded at open and at each rotation, so that pruning opens no
    /// file). Returns the ids deleted, and the files it could not delete with the error (the
    /// caller logs them; the next checkpoint or open tries again).
    func prune(sizes: [UInt64: Int64], walStart: UInt64) -> (deleted: [UInt64], failures: [(name: String, error: any Error)]) {
        var deleted: [UInt64] = []
        var failures: [(name: String, error: any Error)] = []
        let files = sizes.map { (id: $0.key, bytes: $0.value) }
        for id in WALRetention.obsolete(files: files, walStart: walStart, retentionBytes: retentionBytes) {
            let name = DatabaseFiles.wal(id)
            do {
                try fileSystem.removeFile(directory + "/" + name)
                deleted.append(id)
            } catch {
                failures.append((name, error))
            }
        }
        return (deleted, failures)
    }

    /// The sizes of WAL files `ids` (at open: every file but the one appended to next).
    func sizes(of ids: [UInt64]) throws -> [UInt64: Int64] {
        var sizes: [UInt64: Int64] = [:]
        for id in ids {
            let file = try fileSystem.openFile(directory + "/" + DatabaseFiles.wal(id), create: false)
            defer { try? file.close() }
            sizes[id] = try file.length()
        }
        return sizes
    }
}
