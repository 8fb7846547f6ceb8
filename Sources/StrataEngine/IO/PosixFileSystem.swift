import Synchronization
import SystemPackage

/// The ``FileSystem`` of the operating system, through POSIX calls.
///
/// Durability follows POSIX: a file's writes are durable after its ``StorageFile/sync()``
/// (`fdatasync`), and creations, removals and renames in a directory after
/// ``syncDirectory(_:)`` (`fsync` of the directory). ``createDirectory(_:)`` makes the
/// directories it creates durable itself, by fsyncing the parent of each.
///
/// Failures throw ``StrataError`` with the `Errno` as cause and a message "<call> failed:
/// <strerror>": code ``StrataError/Code/fileNotFound`` for `ENOENT` (a missing file or directory),
/// ``StrataError/Code/ioFailure`` otherwise, ``StrataError/Code/locked`` when
/// ``lockDirectory(_:)`` finds the lock held.
public struct PosixFileSystem: FileSystem {
    /// Creates the file system. It has no state of its own.
    public init() {}

    public func kind(of path: String) throws -> FileKind {
        do { return try FilePath(path).kind() } catch {
            throw StrataError.system("lstat", path: path, error)
        }
    }

    public func createDirectory(_ path: String) throws {
        var missing: [FilePath] = []
        var candidate = FilePath(path).lexicallyNormalized()
        while !candidate.isEmpty, try kind(of: candidate.string) == .missing {
            missing.append(candidate)
            candidate = candidate.removingLastComponent()
        }
        for directory in missing.reversed() {
            do {
                try directory.makeDirectory()
            } catch .fileExists {
                // Created meanwhile by someone else; that is what was asked.
                continue
            } catch {
                throw StrataError.system("mkdir", path: directory.string, error)
            }
            // The new entry lives in the parent directory; make it durable there.
            let parent = directory.removingLastComponent()
            try syncDirectory(parent.isEmpty ? "." : parent.string)
        }
        if try kind(of: path) != .directory {
            throw StrataError(.ioFailure, "mkdir failed: a file that is not a directory is in the way", path: path)
        }
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        do { return try FilePath(path).directoryEntries() } catch {
            throw StrataError.system("opendir", path: path, error)
        }
    }

    public func openFile(_ path: String, create: Bool) throws -> any StorageFile {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                FilePath(path), .readWrite,
                options: create ? [.create, .closeOnExec] : [.closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch let error as Errno {
            throw StrataError.system("open", path: path, error)
        }
        return PosixFile(descriptor: descriptor, path: path)
    }

    public func removeFile(_ path: String) throws {
        do { try FilePath(path).unlinkFile() } catch {
            throw StrataError.system("unlink", path: path, error)
        }
    }

    public func rename(_ source: String, to destination: String) throws {
        do { try FilePath(source).rename(to: FilePath(destination)) } catch {
            throw StrataError(
                error == .noSuchFileOrDirectory ? .fileNotFound : .ioFailure,
                "rename to \(destination) failed: \(error)", path: source, cause: error)
        }
    }

    public func syncDirectory(_ path: String) throws {
        let directory: FileDescriptor
        do {
            directory = try FileDescriptor.open(FilePath(path), .readOnly, options: [.directory, .closeOnExec])
        } catch let error as Errno {
            throw StrataError.system("open directory", path: path, error)
        }
        defer { try? directory.close() }
        do { try directory.synchronize() } catch {
            throw StrataError.system("fsync of directory", path: path, error)
        }
    }

    public func lockDirectory(_ path: String) throws -> any DirectoryLock {
        let lockPath = path + "/LOCK"
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                FilePath(lockPath), .readWrite, options: [.create, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch let error as Errno {
            throw StrataError.system("open", path: lockPath, error)
        }
        let acquired: Bool
        do { acquired = try descriptor.tryLockExclusive() } catch {
            try? descriptor.close()
            throw StrataError.system("flock", path: lockPath, error)
        }
        guard acquired else {
            try? descriptor.close()
            throw StrataError(
                .locked, "database directory \(path) is already open (for writing or reading) in this or another process",
                path: lockPath)
        }
        return PosixDirectoryLock(descriptor: descriptor)
    }
}

extension PosixFileSystem {
    /// Opens `path` with `O_RDONLY`: writes through the file fail (`EBADF`).
    public func openFileForReading(_ path: String) throws -> any StorageFile {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch let error as Errno {
            throw StrataError.system("open", path: path, error)
        }
        return PosixFile(descriptor: descriptor, path: path)
    }

    /// `flock(LOCK_SH | LOCK_NB)` on `LOCK`, opened read-only and never created. A directory
    /// without `LOCK` (a copy, say) has no writer that could hold it: it is opened unlocked.
    public func lockDirectoryShared(_ path: String) throws -> any DirectoryLock {
        let lockPath = path + "/LOCK"
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(lockPath), .readOnly, options: [.closeOnExec])
        } catch .noSuchFileOrDirectory {
            return UnheldDirectoryLock()
        } catch let error as Errno {
            throw StrataError.system("open", path: lockPath, error)
        } catch {
            throw StrataError(.ioFailure, "open failed: \(error)", path: lockPath)
        }
        let acquired: Bool
        do { acquired = try descriptor.tryLockShared() } catch {
            try? descriptor.close()
            throw StrataError.system("flock", path: lockPath, error)
        }
        guard acquired else {
            try? descriptor.close()
            throw StrataError(
                .locked, "database directory \(path) is open for writing in this or another process", path: lockPath)
        }
        return PosixDirectoryLock(descriptor: descriptor)
    }
}

/// The lock of a directory that has no `LOCK` file: nothing is held.
final class UnheldDirectoryLock: DirectoryLock {
    func unlock() {}
}

/// A lock held through `flock` on an open `LOCK` file; unlocking closes the file.
/// Releasing the last reference without ``unlock()`` unlocks too.
// @unchecked Sendable because FileDescriptor is not declared Sendable; the descriptor is an
// immutable integer and it is closed only once, guarded by the atomic flag.
final class PosixDirectoryLock: DirectoryLock, @unchecked Sendable {
    private let descriptor: FileDescriptor
    private let isUnlocked = Atomic(false)

    init(descriptor: FileDescriptor) {
        self.descriptor = descriptor
    }

    deinit { unlock() }

    func unlock() {
        guard !isUnlocked.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Closing the only descriptor of the open file description releases the flock.
        try? descriptor.unlockExclusive()
        try? descriptor.close()
    }
}
