extension FaultInjectingFileSystem {
    /// A kind of call that ``FaultInjectingFileSystem`` counts and can make fail.
    public enum Operation: String, Sendable, CaseIterable, CustomStringConvertible {
        /// ``StrataEngine/FileSystem/openFile(_:create:)``.
        case open
        /// ``StrataEngine/StorageFile/read(at:into:)``.
        case read
        /// ``StrataEngine/StorageFile/write(_:at:)``.
        case write
        /// ``StrataEngine/StorageFile/sync()``.
        case sync
        /// ``StrataEngine/StorageFile/setLength(_:)``.
        case setLength
        /// ``StrataEngine/FileSystem/rename(_:to:)``.
        case rename
        /// ``StrataEngine/FileSystem/removeFile(_:)``.
        case remove
        /// ``StrataEngine/FileSystem/syncDirectory(_:)``.
        case syncDirectory
        /// ``StrataEngine/FileSystem/createDirectory(_:)``.
        case createDirectory

        public var description: String { rawValue }
    }
}
