@_spi(Testing) import StrataEngine
import Synchronization

/// An in-memory ``FileSystem`` that keeps what was written apart from what is durable, to test
/// recovery after a power loss (after redb's `tests/crash_consistency.rs` and SQLite's crash
/// test layer).
///
/// The model:
/// - Every file has a *written* image, which reads see, and a *durable* image. A write or
///   ``StorageFile/setLength(_:)`` changes only the written image; the file's
///   ``StorageFile/sync()`` copies the written image to the durable one.
/// - Directory entries have a written and a durable namespace too. Creating a file (opening it
///   with `create` when missing), removing it and renaming it change the written namespace;
///   ``syncDirectory(_:)`` of a directory makes that directory's pending entry changes durable,
///   in order. A rename is atomic and belongs to the directory of its destination: after a
///   crash the file is under its old name or its new one, and syncing the destination's
///   directory makes the new name durable. A file that was created and synced but whose
///   directory was never synced does not exist after a crash; a file whose creation is durable
///   but whose data was never synced exists, empty.
/// - ``createDirectory(_:)`` is durable at once, as ``PosixFileSystem`` fsyncs the parent of
///   every directory it creates. Locks are not part of the disk state.
/// - Every change not yet durable is kept, in order, in ``pendingOperations``.
///   ``crashImage(using:mode:)`` returns the disk after a power loss at this moment; the
///   ``CrashMode`` says which pending changes survive.
/// - Mutating calls (write, sync, setLength, file creation (including the `LOCK` file),
///   directory creation, remove, rename, syncDirectory) are counted in ``operationCount``.
///   Once ``crashAfterOperations`` is set and reached, every further mutating call throws
///   `StrataError(.ioFailure, "simulated power loss")` and changes nothing, so a workload can
///   run to a chosen point before ``crashImage(using:mode:)`` is taken. Reads keep working.
public final class CrashSimulatingFileSystem: FileSystem, InodeStore {
    struct Inode {
        var written: [UInt8] = []
        var durable: [UInt8] = []
    }

    struct State {
        var directories: Set<String> = []
        var writtenFiles: [String: Int] = [:]
        var durableFiles: [String: Int] = [:]
        var inodes: [Int: Inode] = [:]
        var pending: [Change] = []
        var nextInode = 1
        var lockedDirectories: Set<String> = []
        var operationCount = 0
        var crashAfterOperations: Int?
    }

    private let state = Lock(State())

    /// Creates an empty file system (only the roots `/` and `.` exist).
    public init() {}

    /// Creates a file system whose durable state is everything in `image`, such as the result
    /// of an earlier ``crashImage(using:mode:)``, so a test can crash again after recovery.
    public init(startingFrom image: MemoryFileSystem) {
        let (directories, files) = image.allEntries()
        state.withLock { state in
            state.directories = directories
            for (path, bytes) in files {
                let inode = state.allocateInode()
                state.inodes[inode] = Inode(written: bytes, durable: bytes)
                state.writtenFiles[path] = inode
                state.durableFiles[path] = inode
            }
        }
    }

    // MARK: Crash control

    /// The number of mutating calls that have succeeded so far.
    public var operationCount: Int {
        state.withLock { $0.operationCount }
    }

    /// When set, the mutating call after this many (counted by ``operationCount``) and every
    /// later one throws a simulated power loss and does nothing.
    public var crashAfterOperations: Int? {
        get { state.withLock { $0.crashAfterOperations } }
        set { state.withLock { $0.crashAfterOperations = newValue } }
    }

    /// Whether ``crashAfterOperations`` has been reached, so every further mutating call fails.
    public var hasCrashed: Bool {
        state.withLock { state in state.crashAfterOperations.map { state.operationCount >= $0 } ?? false }
    }

    /// The changes made but not yet durable, oldest first.
    public var pendingOperations: [PendingOperation] {
        state.withLock { $0.pending.map(\.record) }
    }

    /// The disk as it would be found after a power loss now; `mode` says which of the
    /// ``pendingOperations`` survive, `rng` draws the random choices.
    public func crashImage(using rng: inout some RandomNumberGenerator, mode: CrashMode) -> MemoryFileSystem {
        let snapshot = state.withLock { $0 }
        var image = DiskImage(
            files: snapshot.durableFiles, contents: snapshot.inodes.mapValues(\.durable))
        let pending = snapshot.pending
        switch mode {
        case .dropUnsynced:
            break
        case .keepPrefix, .tornGarbage:
            let surviving = Int.random(in: 0...pending.count, using: &rng)
            for change in pending.prefix(max(0, surviving - 1)) { image.apply(change) }
            if surviving > 0 {
                image.applyTorn(pending[surviving - 1], garbage: mode == .tornGarbage, using: &rng)
            }
        case .reorderAcrossFiles:
            // Group by what the change belongs to, keep a random prefix of each group.
            var groups: [String: [Int]] = [:]
            for (index, change) in pending.enumerated() { groups[change.group, default: []].append(index) }
            var kept: Set<Int> = []
            for indices in groups.values {
                kept.formUnion(indices.prefix(Int.random(in: 0...indices.count, using: &rng)))
            }
            for (index, change) in pending.enumerated() where kept.contains(index) { image.apply(change) }
        }
        let result = MemoryFileSystem()
        for directory in snapshot.directories { try? result.createDirectory(directory) }
        for (path, inode) in image.files { result.setContents(image.contents[inode] ?? [], of: path) }
        return result
    }

    // MARK: FileSystem

    public func kind(of path: String) throws -> FileKind {
        let path = MemoryPath.normalize(path)
        return state.withLock { $0.kind(of: path) }
    }

    public func createDirectory(_ path: String) throws {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in
            let missing = MemoryPath.selfAndAncestors(path).filter { state.kind(of: $0) != .directory }
            if let file = missing.first(where: { state.kind(of: $0) != .missing }) {
                throw StrataError(.ioFailure, "mkdir failed: File exists", path: file)
            }
            guard !missing.isEmpty else { return }
            try state.beginMutation()
            state.directories.formUnion(missing)
        }
    }

    public func contentsOfDirectory(_ path: String) throws -> [String] {
        let path = MemoryPath.normalize(path)
        return try state.withLock { state in
            try state.requireDirectory(path, for: "opendir")
            return state.directories.union(state.writtenFiles.keys)
                .filter { !MemoryPath.isRoot($0) && MemoryPath.parent(of: $0) == path }
                .map(MemoryPath.name(of:))
        }
    }

    public func openFile(_ path: String, create: Bool) throws -> any StorageFile {
        let path = MemoryPath.normalize(path)
        let inode = try state.withLock { state in
            if let inode = state.writtenFiles[path] { return inode }
            if state.kind(of: path) != .missing {
                throw StrataError(.ioFailure, "open failed: Is a directory", path: path)
            }
            guard create else {
                throw StrataError(.fileNotFound, "open failed: No such file or directory", path: path)
            }
            try state.requireDirectory(MemoryPath.parent(of: path), for: "open")
            try state.beginMutation()
            let inode = state.allocateInode()
            state.inodes[inode] = Inode()
            state.writtenFiles[path] = inode
            state.pending.append(.create(path: path, inode: inode))
            return inode
        }
        return InodeFile(store: self, inode: inode, path: path)
    }

    public func removeFile(_ path: String) throws {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in
            guard state.writtenFiles[path] != nil else {
                throw StrataError(.fileNotFound, "unlink failed: No such file or directory", path: path)
            }
            try state.beginMutation()
            state.writtenFiles[path] = nil
            state.pending.append(.remove(path: path))
        }
    }

    public func rename(_ source: String, to destination: String) throws {
        let source = MemoryPath.normalize(source)
        let destination = MemoryPath.normalize(destination)
        try state.withLock { state in
            guard let inode = state.writtenFiles[source] else {
                throw StrataError(.fileNotFound, "rename to \(destination) failed: No such file or directory", path: source)
            }
            try state.requireDirectory(MemoryPath.parent(of: destination), for: "rename")
            if state.directories.contains(destination) {
                throw StrataError(.ioFailure, "rename to \(destination) failed: Is a directory", path: source)
            }
            try state.beginMutation()
            guard source != destination else { return }
            state.writtenFiles[source] = nil
            state.writtenFiles[destination] = inode
            state.pending.append(.rename(source: source, destination: destination, inode: inode))
        }
    }

    public func syncDirectory(_ path: String) throws {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in
            try state.requireDirectory(path, for: "open directory")
            try state.beginMutation()
            var image = DiskImage(files: state.durableFiles, contents: [:])
            state.pending.removeAll { change in
                guard change.entryDirectory == path else { return false }
                image.apply(change)
                return true
            }
            state.durableFiles = image.files
        }
    }

    public func lockDirectory(_ path: String) throws -> any DirectoryLock {
        let path = MemoryPath.normalize(path)
        try state.withLock { state in
            try state.requireDirectory(path, for: "open LOCK")
            let lockPath = path + "/LOCK"
            if state.writtenFiles[lockPath] == nil {
                // Like PosixFileSystem, which creates LOCK without syncing the directory.
                try state.beginMutation()
                let inode = state.allocateInode()
                state.inodes[inode] = Inode()
                state.writtenFiles[lockPath] = inode
                state.pending.append(.create(path: lockPath, inode: inode))
            }
            try MemoryDirectoryLock.acquire(path, in: &state.lockedDirectories)
        }
        return MemoryDirectoryLock { [self] in
            _ = state.withLock { $0.lockedDirectories.remove(path) }
        }
    }

    // MARK: InodeStore

    func length(ofInode inode: Int) throws -> Int64 {
        state.withLock { Int64($0.inodes[inode]!.written.count) }
    }

    func read(inode: Int, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        state.withLock { $0.inodes[inode]!.written.copyBytes(at: Int(offset), into: buffer) }
    }

    func write(inode: Int, _ bytes: UnsafeRawBufferPointer, at offset: Int64, path: String) throws {
        try state.withLock { state in
            try state.beginMutation()
            state.inodes[inode]!.written.overwrite(bytes, at: Int(offset))
            state.pending.append(.write(inode: inode, offset: Int(offset), bytes: [UInt8](bytes), path: path))
        }
    }

    func sync(inode: Int, path: String) throws {
        try state.withLock { state in
            try state.beginMutation()
            state.inodes[inode]!.durable = state.inodes[inode]!.written
            state.pending.removeAll { $0.inode == inode }
        }
    }

    func setLength(inode: Int, _ length: Int64, path: String) throws {
        try state.withLock { state in
            try state.beginMutation()
            state.inodes[inode]!.written.resize(to: Int(length))
            state.pending.append(.setLength(inode: inode, length: Int(length), path: path))
        }
    }
}

extension CrashSimulatingFileSystem.State {
    /// Counts a mutating call, or throws if the simulated power loss has happened.
    mutating func beginMutation() throws {
        if let limit = crashAfterOperations, operationCount >= limit {
            throw StrataError(.ioFailure, "simulated power loss")
        }
        operationCount += 1
    }

    func kind(of path: String) -> FileKind {
        if MemoryPath.isRoot(path) || directories.contains(path) { return .directory }
        return writtenFiles[path] == nil ? .missing : .regularFile
    }

    func requireDirectory(_ path: String, for what: String) throws {
        switch kind(of: path) {
        case .directory: return
        case .missing: throw StrataError(.fileNotFound, "\(what) failed: No such file or directory", path: path)
        default: throw StrataError(.ioFailure, "\(what) failed: Not a directory", path: path)
        }
    }

    mutating func allocateInode() -> Int {
        defer { nextInode += 1 }
        return nextInode
    }
}
