import MW1Core
import MW1SQLite

#if canImport(StrataMW1)
import StrataMW1
#endif

/// The stores `mw1 --store` can drive. Each driver is its own target; the Strata one
/// (`Sources/StrataMW1/StrataMW1Store.swift`, `StrataMW1Store(directory:)`) is built only when
/// `includeStrataMW1` is true in Package.swift, and is picked up here by `canImport`.
enum StoreCatalog {
    /// Every name `--store` accepts.
    static let names = ["strata", "sqlite", "sqlite-vec"]

    /// The environment variable that gives sqlite-vec's loadable extension when `--sqlite-vec`
    /// does not.
    static let sqliteVecVariable = "MW1_SQLITE_VEC"

    /// What some stores take besides their directory.
    struct Options {
        /// sqlite-vec's loadable extension, for `sqlite-vec`.
        var sqliteVecPath: String?
        /// The HNSW search breadth for `strata` (nil: the index's default).
        var ef: Int?
    }

    /// Why a store cannot be made in this build.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// A fresh store of `name` working in `directory` (which exists and is empty).
    static func make(_ name: String, directory: String, options: Options = Options()) throws -> any MW1Store {
        switch name {
        case "sqlite":
            return try SQLiteMW1Store(directory: directory)
        case "sqlite-vec":
            guard let path = options.sqliteVecPath, !path.isEmpty else {
                throw Unavailable(description: """
                    sqlite-vec unavailable: give its loadable extension with --sqlite-vec PATH or \(sqliteVecVariable)=PATH \
                    (pip install sqlite-vec; python -c "import sqlite_vec; print(sqlite_vec.loadable_path())")
                    """)
            }
            do {
                return try SQLiteMW1Store(directory: directory, vectorSearch: .sqliteVec(extensionPath: path))
            } catch let error as SQLiteVecUnavailable {
                throw Unavailable(description: error.description)
            }
        case "strata":
            #if canImport(StrataMW1)
            return try StrataMW1Store(directory: directory, ef: options.ef)
            #else
            throw Unavailable(description: """
                the strata driver needs StrataGraph: add Sources/StrataMW1/StrataMW1Store.swift and set \
                includeStrataMW1 = true in Benchmarks/Package.swift
                """)
            #endif
        default:
            throw Unavailable(description: "unknown store \(name); one of \(names.joined(separator: ", "))")
        }
    }
}
