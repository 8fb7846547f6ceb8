/// Path arithmetic shared by the in-memory file systems.
///
/// Paths are normalized by dropping empty and `.` components, so `"/a//b/"` and `"/a/./b"` are
/// both `"/a/b"`. The roots `"/"` and `"."` always exist as directories.
enum MemoryPath {
    /// `path` with repeated and trailing slashes and `.` components removed.
    static func normalize(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        let components = path.split(separator: "/").filter { $0 != "." }
        let joined = components.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `path` (normalized) is one of the roots that always exist.
    static func isRoot(_ path: String) -> Bool {
        path == "/" || path == "."
    }

    /// The directory holding `path` (normalized).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path` (normalized).
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `path` and each of its ancestors below the root, outermost first.
    static func selfAndAncestors(_ path: String) -> [String] {
        var chain: [String] = []
        var current = path
        while !isRoot(current) {
            chain.append(current)
            current = parent(of: current)
        }
        return chain.reversed()
    }
}
