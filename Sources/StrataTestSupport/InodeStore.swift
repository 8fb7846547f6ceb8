import StrataEngine

/// The file contents behind an in-memory file system, addressed by inode number.
///
/// An open file refers to its inode, not its path: like POSIX, a file renamed or removed while
/// open stays readable and writable through the handle.
protocol InodeStore: AnyObject, Sendable {
    func length(ofInode inode: Int) throws -> Int64
    func read(inode: Int, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    func write(inode: Int, _ bytes: UnsafeRawBufferPointer, at offset: Int64, path: String) throws
    func sync(inode: Int, path: String) throws
    func setLength(inode: Int, _ length: Int64, path: String) throws
}
