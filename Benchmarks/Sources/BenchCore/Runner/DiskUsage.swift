#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system helpers of the runner: space on disk, `sync()`, fresh directories.
public enum DiskUsage {
    /// The sum of `st_blocks * 512` over every regular file under `directory`
    /// (recursively), the `bytes_on_disk` of WORKLOADS.md.
    public static func bytesOnDisk(_ directory: String) throws -> UInt64 {
        guard let dir = opendir(directory) else { throw posixError("opendir", directory) }
        defer { closedir(dir) }
        var total: UInt64 = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = directory + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { throw posixError("lstat", path) }
            switch st.st_mode & S_IFMT {
            case S_IFREG: total += UInt64(st.st_blocks) * 512
            case S_IFDIR: total += try bytesOnDisk(path)
            default: break
            }
        }
        return total
    }

    /// Calls `sync()`, flushing every file system's dirty data.
    public static func syncAll() {
        sync()
    }

    /// Removes `path` and everything under it, if present.
    public static func remove(_ path: String) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            guard let dir = opendir(path) else { throw posixError("opendir", path) }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(dir)
            for name in names { try remove(path + "/" + name) }
            guard rmdir(path) == 0 else { throw posixError("rmdir", path) }
        } else {
            guard unlink(path) == 0 else { throw posixError("unlink", path) }
        }
    }

    /// Creates `path` and its parents (mode 0755); fine if it exists.
    public static func makeDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw posixError("mkdir", prefix) }
        }
    }

    /// A fresh, empty directory at `path` (removing whatever was there).
    public static func freshDirectory(_ path: String) throws {
        try remove(path)
        try makeDirectory(path)
    }

    static func posixError(_ call: String, _ path: String) -> PeerError {
        PeerError(peer: "bench", operation: "\(call)(\(path))", message: String(cString: strerror(errno)))
    }
}
