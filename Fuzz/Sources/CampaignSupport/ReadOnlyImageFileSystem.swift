import StrataEngine
import StrataTestSupport

/// A crash image seen the way `PosixFileSystem` serves a read-only open: the shared lock opens
/// `LOCK` without creating it (a directory without `LOCK` is opened without a lock), and every
/// other call goes to the image unchanged, so anything the engine writes lands in the image and
/// ``ReadOnlyCheck`` sees it. (`MemoryFileSystem`'s default shared lock would create `LOCK`.)
public struct ReadOnlyImageFileSystem: FileSystem {
    /// The image the engine reads (and, if it misbehaves, writes).
    public let image: MemoryFileSystem

    /// Serves `image`.
    public init(image: MemoryFileSystem) { self.image = image }

    public func kind(of path: String) throws -> FileKind { try image.kind(of: path) }
    public func createDirectory(_ path: String) throws { try image.createDirectory(path) }
    public func contentsOfDirectory(_ path: String) throws -> [String] { try image.contentsOfDirectory(path) }
    public func openFile(_ path: String, create: Bool) throws -> any StorageFile { try image.openFile(path, create: create) }
    public func removeFile(_ path: String) throws { try image.removeFile(path) }
    public func rename(_ source: String, to destination: String) throws { try image.rename(source, to: destination) }
    public func syncDirectory(_ path: String) throws { try image.syncDirectory(path) }
    public func lockDirectory(_ path: String) throws -> any DirectoryLock { try image.lockDirectory(path) }

    /// The image's lock when `LOCK` exists (taking it writes nothing); otherwise no lock.
    public func lockDirectoryShared(_ path: String) throws -> any DirectoryLock {
        guard image.contents(of: path + "/LOCK") != nil else { return NoDirectoryLock() }
        return try image.lockDirectory(path)
    }

    /// The lock of a directory that has no `LOCK` file: nothing to release.
    final class NoDirectoryLock: DirectoryLock {
        func unlock() {}
    }
}
