@_spi(Testing) import StrataEngine
import Synchronization

/// A directory lock of an in-memory file system: runs its release action once.
final class MemoryDirectoryLock: DirectoryLock {
    private let release: Lock<(@Sendable () -> Void)?>

    init(release: @escaping @Sendable () -> Void) {
        self.release = Lock(release)
    }

    deinit { unlock() }

    /// Takes the lock of `path` in `lockedDirectories`, or throws `.locked` as
    /// `PosixFileSystem` does when the directory is already locked.
    static func acquire(_ path: String, in lockedDirectories: inout Set<String>) throws {
        guard lockedDirectories.insert(path).inserted else {
            throw StrataError(
                .locked, "database directory \(path) is already open in this or another process",
                path: path + "/LOCK")
        }
    }

    func unlock() {
        let action = release.withLock { action in
            defer { action = nil }
            return action
        }
        action?()
    }
}
