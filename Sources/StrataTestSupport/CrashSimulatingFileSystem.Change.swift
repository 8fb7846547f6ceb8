extension CrashSimulatingFileSystem {
    /// A change not yet durable, with what is needed to replay it onto a disk image.
    enum Change {
        case write(inode: Int, offset: Int, bytes: [UInt8], path: String)
        case setLength(inode: Int, length: Int, path: String)
        case create(path: String, inode: Int)
        case remove(path: String)
        case rename(source: String, destination: String, inode: Int)
    }
}

extension CrashSimulatingFileSystem.Change {
    /// The file whose data this change alters, for a write or a length change.
    var inode: Int? {
        switch self {
        case .write(let inode, _, _, _), .setLength(let inode, _, _): inode
        case .create, .remove, .rename: nil
        }
    }

    /// The directory whose sync makes this entry change durable (nil for data changes).
    var entryDirectory: String? {
        switch self {
        case .write, .setLength: nil
        case .create(let path, _), .remove(let path): MemoryPath.parent(of: path)
        case .rename(_, let destination, _): MemoryPath.parent(of: destination)
        }
    }

    /// The changes that must stay in order among themselves when the disk reorders writes.
    var group: String {
        if let inode { return "inode \(inode)" }
        return "directory \(entryDirectory ?? "")"
    }

    var record: CrashSimulatingFileSystem.PendingOperation {
        switch self {
        case .write(_, let offset, let bytes, let path): .write(path: path, offset: Int64(offset), count: bytes.count)
        case .setLength(_, let length, let path): .setLength(path: path, length: Int64(length))
        case .create(let path, _): .create(path: path)
        case .remove(let path): .remove(path: path)
        case .rename(let source, let destination, _): .rename(source: source, destination: destination)
        }
    }
}
