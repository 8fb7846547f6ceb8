#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

/// The C `struct stat` (the bare name is shadowed by swift-system's `stat()` methods).
typealias CStat = stat

#if canImport(Glibc)
private typealias DirectoryStream = OpaquePointer
private let systemRename = Glibc.rename
#else
private typealias DirectoryStream = UnsafeMutablePointer<DIR>
private let systemRename = Darwin.rename
#endif

// Path-level calls swift-system does not offer (or offers only on newer Darwin releases).

extension FilePath {
    /// What is at this path, without following a final symbolic link.
    ///
    /// The corresponding C function is `lstat`.
    func kind() throws(Errno) -> FileKind {
        var info = CStat()
        do {
            try calling { lstat($0, &info) }
        } catch .noSuchFileOrDirectory {
            return .missing
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// Creates this directory (not its parents), with mode 0755 less the umask.
    ///
    /// The corresponding C function is `mkdir`.
    func makeDirectory() throws(Errno) {
        try calling { mkdir($0, 0o755) }
    }

    /// Removes the file at this path.
    ///
    /// The corresponding C function is `unlink`.
    func unlinkFile() throws(Errno) {
        try calling { unlink($0) }
    }

    /// Atomically renames this path to `destination`, replacing what is there.
    ///
    /// The corresponding C function is `rename`.
    func rename(to destination: FilePath) throws(Errno) {
        try calling { source in
            destination.withPlatformString { target in systemRename(source, target) }
        }
    }

    /// The names of the entries of this directory, without `.` and `..`.
    ///
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    func directoryEntries() throws(Errno) -> [String] {
        let opened: DirectoryStream? = withPlatformString { opendir($0) }
        guard let stream = opened else { throw Errno(rawValue: errno) }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw Errno(rawValue: errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// Calls `body` with this path as a C string, retrying on `EINTR`; throws the `errno` of a
    /// failure (a result of -1).
    private func calling(_ body: (UnsafePointer<CChar>) -> CInt) throws(Errno) {
        let failure = withPlatformString { name -> Errno? in
            do throws(Errno) {
                try retryingOnInterrupt { body(name) }
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}
