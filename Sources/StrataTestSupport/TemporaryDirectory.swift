import Foundation
import Synchronization

/// A new, uniquely named directory under the system's temporary directory, removed with
/// everything in it by ``remove()`` or when the value is released.
///
/// ```swift
/// let directory = try TemporaryDirectory()
/// let fs = PosixFileSystem()
/// let file = try fs.openFile(directory.path + "/data", create: true)
/// ```
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path, without a trailing slash.
    public let path: String
    private let isRemoved = Atomic(false)

    /// Creates the directory; `prefix` starts its name, to tell test runs apart.
    public init(prefix: String = "strata-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        let path = (base.hasSuffix("/") ? base : base + "/") + "\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
    }

    deinit { remove() }

    /// `path + "/" + name`.
    public func appending(_ name: String) -> String {
        path + "/" + name
    }

    /// Removes the directory and its contents. Calling it again does nothing.
    public func remove() {
        guard !isRemoved.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}
