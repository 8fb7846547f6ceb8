extension CrashSimulatingFileSystem {
    /// A change that has been made but is not yet durable, as ``pendingOperations`` lists it.
    public enum PendingOperation: Sendable, Equatable, CustomStringConvertible {
        /// `count` bytes written at `offset` of the file opened as `path`.
        case write(path: String, offset: Int64, count: Int)
        /// The file opened as `path` truncated or extended to `length`.
        case setLength(path: String, length: Int64)
        /// A file created at `path`.
        case create(path: String)
        /// The file at `path` removed.
        case remove(path: String)
        /// A file renamed from `source` to `destination`.
        case rename(source: String, destination: String)

        public var description: String {
            switch self {
            case .write(let path, let offset, let count): "write \(count) bytes at \(offset) of \(path)"
            case .setLength(let path, let length): "set length of \(path) to \(length)"
            case .create(let path): "create \(path)"
            case .remove(let path): "remove \(path)"
            case .rename(let source, let destination): "rename \(source) to \(destination)"
            }
        }
    }
}
