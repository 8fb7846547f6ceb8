/// What exists at a path.
public enum FileKind: Sendable, Equatable {
    case missing
    case regularFile
    case directory
    case other
}

/// The narrow set of directory operations the engine needs.
///
/// Everything Strata stores goes through this protocol, so tests can substitute an in-memory
/// backend, a crash simulator that keeps written and durable images apart, or one that injects
/// faults. Paths are plain strings; the engine only ever passes `directory + "/" + name`.
///
/// Implementations throw ``StrataError`` with code ``StrataError/Code/ioFailure`` (and the errno
/// as the cause) for operating-system failures.
public protocol FileSystem: Sendable {
    /// What exists at `path` (it does not follow into the file).
    func kind(of path: String) throws -> FileKind
    /// Creates the directory (and missing parents). Succeeds if it already exists.
    func createDirectory(_ path: String) throws
    /// The names (not paths) of the entries in a directory, in no particular order.
    func contentsOfDirectory(_ path: String) throws -> [String]
    /// Opens a file for reading and writing; with `create`, creates it when missing.
    /// Creating a file is made durable only by a later ``syncDirectory(_:)``.
    func openFile(_ path: String, create: Bool) throws -> any StorageFile
    /// Removes a file. Durable only after ``syncDirectory(_:)``.
    func removeFile(_ path: String) throws
    /// Atomically renames a file, replacing any file at `destination`.
    /// Durable only after ``syncDirectory(_:)``.
    func rename(_ source: String, to destination: String) throws
    /// Makes creations, removals and renames in the directory durable (fsync of the directory).
    func syncDirectory(_ path: String) throws
    /// Takes the exclusive lock of a database directory (the `LOCK` file inside it).
    /// Throws ``StrataError/Code/locked`` when this or another process holds it.
    func lockDirectory(_ path: String) throws -> any DirectoryLock
    /// Takes the shared lock of a database directory for a read-only open, writing nothing:
    /// many shared holders may coexist; throws ``StrataError/Code/locked`` while an exclusive
    /// one is held. The default takes the exclusive lock (one reader at a time).
    func lockDirectoryShared(_ path: String) throws -> any DirectoryLock
    /// Opens an existing file for reading only (a read-only open never writes). The default
    /// opens it as ``openFile(_:create:)`` does, without `create`.
    func openFileForReading(_ path: String) throws -> any StorageFile
}

extension FileSystem {
    public func lockDirectoryShared(_ path: String) throws -> any DirectoryLock {
        try lockDirectory(path)
    }

    public func openFileForReading(_ path: String) throws -> any StorageFile {
        try openFile(path, create: false)
    }
}

/// An open file, read and written by offset. Safe to use from several threads at once.
public protocol StorageFile: AnyObject, Sendable {
    /// The file's path, for error messages.
    var path: String { get }
    /// The current length in bytes (as written, not necessarily durable).
    func length() throws -> Int64
    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (fewer only at EOF).
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes all of `bytes` at `offset`, extending the file as needed.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws
    /// Makes every earlier write to this file durable (fdatasync). After a failure the
    /// state of earlier writes is unknown: callers must not retry and assume success.
    func sync() throws
    /// Truncates or extends the file to `length` bytes.
    func setLength(_ length: Int64) throws
    /// Closes the file. Further calls fail with ``StrataError/Code/closed``.
    func close() throws
}

/// A held directory lock; released by ``unlock()`` (or when the process exits).
public protocol DirectoryLock: AnyObject, Sendable {
    /// Releases the lock. Calling it twice is harmless.
    func unlock()
}

extension StorageFile {
    /// Reads exactly `count` bytes at `offset`, or throws ``StrataError/Code/corruption`` if the
    /// file ends first.
    public func readExactly(at offset: Int64, count: Int) throws -> [UInt8] {
        // The count often comes from disk: a large one is checked against the file before it
        // is allocated. Small reads (every page) skip that extra system call; a short file
        // shows up as a short read below.
        if count > 1 << 20 {
            let available = max(0, try length() - offset)
            guard Int64(count) <= available else {
                throw StrataError(
                    .corruption, "file ends after \(available) of \(count) bytes expected", path: path, offset: offset)
            }
        }
        // The buffer is not zeroed first: the read fills it, and only what it filled is kept.
        var got = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            got = try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = got
        }
        guard got == count else {
            throw StrataError(
                .corruption, "file ends after \(got) of \(count) bytes expected",
                path: path, offset: offset)
        }
        return bytes
    }

    /// Writes all of `bytes` at `offset`.
    public func write(_ bytes: [UInt8], at offset: Int64) throws {
        try bytes.withUnsafeBytes { try write($0, at: offset) }
    }
}
