import ArgumentParser
import StrataEngine

/// `strata delete DIR TREE KEY`: removes one key durably.
struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove a key; durable when it returns.",
        discussion: "Prints `removed`, or `absent` if the key was not there (both exit 0).")

    @OptionGroup var target: KeyArguments
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let key = try target.keyBytes()
        let removed = try global.withDatabase(target.directory) { database in
            try database.requireTree(target.tree).remove(key, durability: .synced)
        }
        print(removed == nil ? "absent" : "removed")
    }
}
