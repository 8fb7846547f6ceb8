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
    static let names = ["strata", "sqlite"]

    /// Why a store cannot be made in this build.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// A fresh store of `name` working in `directory` (which exists and is empty).
    static func make(_ name: String, directory: String) throws -> any MW1Store {
        switch name {
        case "sqlite":
            return try SQLiteMW1Store(directory: directory)
        case "strata":
            #if canImport(StrataMW1)
            return try StrataMW1Store(directory: directory)
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
