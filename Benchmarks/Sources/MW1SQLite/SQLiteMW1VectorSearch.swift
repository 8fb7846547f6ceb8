/// How `SQLiteMW1Store` answers the vector phases. Both are exact scans of the stored Float32
/// BLOBs selected with the phase's filter in SQL; they differ in where the distances are taken.
public enum SQLiteMW1VectorSearch: Sendable, Equatable {
    /// The BLOBs are read out and every dot product is taken in Swift, in Double, ties by id
    /// (store name `"sqlite"`; recall 1.0 by construction).
    case swiftScan
    /// sqlite-vec's `vec_distance_cosine(vector, ?)` in SQL, `ORDER BY` it then the id, `LIMIT k`
    /// (store name `"sqlite-vec"`). `extensionPath` is the loadable extension (PyPI's
    /// `sqlite-vec` ships it: `sqlite_vec.loadable_path()`), loaded into every connection.
    case sqliteVec(extensionPath: String)

    /// The store's name on the JSON lines.
    public var storeName: String {
        switch self {
        case .swiftScan: "sqlite"
        case .sqliteVec: "sqlite-vec"
        }
    }
}

/// sqlite-vec could not be loaded: the file is missing, is not an SQLite extension, or this
/// SQLite refuses extensions. The run stops; there is no fallback to the Swift scan.
public struct SQLiteVecUnavailable: Error, CustomStringConvertible {
    /// The path that was given.
    public let extensionPath: String
    /// What SQLite said.
    public let reason: String

    /// A message for people.
    public var description: String {
        "sqlite-vec unavailable: cannot load \(extensionPath): \(reason)"
    }
}
