import ArgumentParser
import StrataEngine

/// `strata delete DIR TREE KEY`: removes one key durably.
struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove a key; durable when it returns.",
        discussion: "Prints `removed`, or `absent` if the key was not there (both exit 0).")

    @Argument(help: "The database directory.")
    var directory: String
    @Argument(help: "The tree name.")
    var tree: String
    @Argument(help: "The key (UTF-8 text, or hex with --hex).")
    var key: String

    @Flag(help: "Read the key as hexadecimal.")
    var hex = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let keyBytes = try ByteFormat(hex: hex).parse(key, what: "key")
        let removed = try global.withDatabase(directory) { database in
            try database.requireTree(tree).remove(keyBytes, durable: true)
        }
        print(removed == nil ? "absent" : "removed")
    }
}
