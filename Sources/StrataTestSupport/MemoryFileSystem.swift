@_spi(Testing) import StrataEngine
import Synchronization

/// A thread-safe ``FileSystem`` held entirely in memory, behaving like POSIX.
///
/// - Opening a missing file without `create`, removing a missing file or renaming a missing
///   source throws ``StrataError/Code/fileNotFound``; so does creating a file in a missing directory.
/// - ``rename(_:to:)`` replaces the destination; open handles keep referring to their file
///   (inode) across renames and removals.
/// - ``lockDirectory(_:)`` creates the `LOCK` file and fails with ``StrataError/Code/locked``
///   while another lock on the same directory is held, even from this process.
/// - Nothing is ever lost: syncs are accepted and do nothing. For crash testing use
///   ``CrashSimulatingFileSystem``.
public final class MemoryFileSystem: FileSystem, InodeStore {
    fileprivate struct State {
        var directories: Set<String> = []
        /// Path of each file → its inode.
        var files: [String: Int] = [:]
        var contents: [Int: [UInt8]] = [:]
        var nextInode = 1
        var lockedDirectories: Set<String> = []
    }

    private let state = Lock(State())

    /// Creates an empty file system (only the roots `/` and `.` exist).
    public init() {}

    // MARK: Inspecting and seeding, for tests

    /// The contents of the file at `path`, or nil if there is none.
    public func contents(of path: String) -> [UInt8]? {
        let path = MemoryPath.normalize(path)
        return state.withLock { state in state.files[path].flatMap { state.contents[$0] } }
    }

    /// Creates or replaces the file at `path` with `bytes`, creating missing directories.
    public func setContents(_ bytes: [UInt8], of path: String) {
        let path = MemoryPath.normalize(path)
        state.withLock { state in
            for directory in MemoryPath.selfAndAncestors(MemoryPath.parent(of: path)) {
                state.directories.insert(directory)
            }
            let inode = state.files[path] ?? state.allocateInode()
            state.files[path] = inode
            state.contents[inode] = bytes
        }
    }

    /// Every directory (except the roots) and every file with its contents.
    public func allEntries() -> (directories: Set<String>, files: [String: [UInt8]]) {
        state.withLock { state in
            (state.directories, state.files.compactMapValues { state.contents[$0] })
        }
    }

    // MARK: FileSystem

    public func kind(of path: String) throws -> FileKind {
        let path = MemoryPath.normalize(path)
        return state.withLock { state in state.kind(of: path) }
    }

    public func createDirectory(_ path: String) throws {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in
            for directory in MemoryPath.selfAndAncestors(path) {
                switch state.kind(of: directory) {
                case .directory: continue
                case .missing: state.directories.insert(directory)
                default:
                    throw StrataError(.ioFailure, "mkdir failed: File exists", path: directory)
                }
            }
        }
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        let path = MemoryPath.normalize(path)
        return try state.withLock { state in
            try state.requireDirectory(path, for: "opendir")
            let children = state.directories.union(state.files.keys)
                .filter { !MemoryPath.isRoot($0) && MemoryPath.parent(of: $0) == path }
            return children.map(MemoryPath.name(of:))
        }
    }

    public func openFile(_ path: String, create: Bool) throws -> any StorageFile {
        let path = MemoryPath.normalize(path)
        let inode = try state.withLock { state in
            if let inode = state.files[path] { return inode }
            if state.kind(of: path) != .missing {
                throw StrataError(.ioFailure, "open failed: Is a directory", path: path)
            }
            guard create else {
                throw StrataError(.fileNotFound, "open failed: No such file or directory", path: path)
            }
            try state.requireDirectory(MemoryPath.parent(of: path), for: "open")
            let inode = state.allocateInode()
            state.files[path] = inode
            state.contents[inode] = []
            return inode
        }
        return InodeFile(store: self, inode: inode, path: path)
    }

    public func removeFile(_ path: String) throws {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in
            // The contents stay, for handles still open on the file, as in POSIX.
            guard state.files.removeValue(forKey: path) != nil else {
                throw StrataError(.fileNotFound, "unlink failed: No such file or directory", path: path)
            }
        }
    }

    public func rename(_ source: String, to destination: String) throws {
        let source = MemoryPath.normalize(source)
        let destination = MemoryPath.normalize(destination)
        try state.withLock { state in
            guard let inode = state.files[source] else {
                throw StrataError(.fileNotFound, "rename to \(destination) failed: No such file or directory", path: source)
            }
            try state.requireDirectory(MemoryPath.parent(of: destination), for: "rename")
            if state.directories.contains(destination) {
                throw StrataError(.ioFailure, "rename to \(destination) failed: Is a directory", path: source)
            }
            guard source != destination else { return }
            state.files[source] = nil
            state.files[destination] = inode
        }
    }

    public func syncDirectory(_ path: String) throws {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in try state.requireDirectory(path, for: "open directory") }
    }

    public func lockDirectory(_ path: String) throws -> any DirectoryLock {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in
            try state.requireDirectory(path, for: "open LOCK")
            let lockPath = path + "/LOCK"
            if state.files[lockPath] == nil {
                let inode = state.allocateInode()
                state.files[lockPath] = inode
                state.contents[inode] = []
            }
            try MemoryDirectoryLock.acquire(path, in: &state.lockedDirectories)
        }
        return MemoryDirectoryLock { [self] in
            _ = state.withLock { $0.lockedDirectories.remove(path) }
        }
    }

    // MARK: InodeStore

    func length(ofInode inode: Int) throws -> Int64 {
        state.withLock { state in Int64(state.contents(of: inode).count) }
    }

    func read(inode: Int, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        state.withLock { state in state.contents(of: inode).copyBytes(at: Int(offset), into: buffer) }
    }

    func write(inode: Int, _ bytes: UnsafeRawBufferPointer, at offset: Int64, path: String) throws {
        state.withLock { state in
            state.contents[inode]!.overwrite(bytes, at: Int(offset))
        }
    }

    func sync(inode: Int, path: String) throws {
        // Everything is always "durable" here.
    }

    func setLength(inode: Int, _ length: Int64, path: String) throws {
        state.withLock { state in
            state.contents[inode]!.resize(to: Int(length))
        }
    }
}

extension MemoryFileSystem.State {
    func kind(of path: String) -> FileKind {
        if MemoryPath.isRoot(path) || directories.contains(path) { return .directory }
        return files[path] == nil ? .missing : .regularFile
    }

    func requireDirectory(_ path: String, for what: String) throws {
        switch kind(of: path) {
        case .directory: return
        case .missing: throw StrataError(.fileNotFound, "\(what) failed: No such file or directory", path: path)
        default: throw StrataError(.ioFailure, "\(what) failed: Not a directory", path: path)
        }
    }

    func contents(of inode: Int) -> [UInt8] {
        guard let bytes = contents[inode] else {
            preconditionFailure("inode \(inode) has no contents")
        }
        return bytes
    }

    mutating func allocateInode() -> Int {
        defer { nextInode += 1 }
        return nextInode
    }
}
