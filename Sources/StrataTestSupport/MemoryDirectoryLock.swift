import StrataEngine
import Synchronization

/// A directory lock of an in-memory file system: runs its release action once.
final class MemoryDirectoryLock: DirectoryLock {
    private let release: Mutex<(@Sendable () -> Void)?>

    init(release: @escaping @Sendable () -> Void) {
        self.release = Mutex(release)
    }

    deinit { unlock() }

    func unlock() {
        let action = release.withLock { action in
            defer { action = nil }
            return action
        }
        action?()
    }
}
