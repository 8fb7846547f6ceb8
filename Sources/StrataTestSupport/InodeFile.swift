import StrataEngine
import Synchronization

/// An open file of an in-memory file system.
final class InodeFile: StorageFile {
    let path: String
    private let store: any InodeStore
    private let inode: Int
    private let isClosed = Atomic(false)

    init(store: any InodeStore, inode: Int, path: String) {
        self.store = store
        self.inode = inode
        self.path = path
    }

    func length() throws -> Int64 {
        try checkOpen()
        return try store.length(ofInode: inode)
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try checkOpen()
        try checkOffset(offset)
        return try store.read(inode: inode, at: offset, into: buffer)
    }

    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        try checkOpen()
        try checkOffset(offset)
        try store.write(inode: inode, bytes, at: offset, path: path)
    }

    func sync() throws {
        try checkOpen()
        try store.sync(inode: inode, path: path)
    }

    func setLength(_ length: Int64) throws {
        try checkOpen()
        try checkOffset(length)
        try store.setLength(inode: inode, length, path: path)
    }

    func close() throws {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else {
            throw StrataError(.closed, "file was used after it was closed", path: path)
        }
    }

    private func checkOpen() throws {
        if isClosed.load(ordering: .acquiring) {
            throw StrataError(.closed, "file was used after it was closed", path: path)
        }
    }

    /// Like POSIX (EINVAL), a negative offset is refused rather than trapping.
    private func checkOffset(_ offset: Int64) throws {
        if offset < 0 || offset > Int64(Int32.max) * 16 {
            throw StrataError(.ioFailure, "offset \(offset) is out of range for an in-memory file", path: path)
        }
    }
}
