import ArgumentParser
import StrataEngine

/// `strata trees DIR`: the tree names and their key counts.
struct Trees: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the trees and how many keys each holds.")

    @Argument(help: "The database directory.")
    var directory: String

    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let rows = try global.withDatabase(directory, reading: reading) { database in
            try database.treeNames().map { name in (name, try database.requireTree(name).count) }
        }
        for (name, count) in rows { print("\(name)\t\(count)") }
    }
}
