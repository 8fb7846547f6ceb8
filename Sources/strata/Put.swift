import ArgumentParser
import StrataEngine

/// `strata put DIR TREE KEY VALUE`: stores one value durably.
struct Put: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store a value under a key (creating the tree if needed); durable when it returns.")

    @Argument(help: "The database directory (it must already be a Strata database).")
    var directory: String
    @Argument(help: "The tree name; created if it does not exist.")
    var tree: String
    @Argument(help: "The key (UTF-8 text, or hex with --hex).")
    var key: String
    @Argument(help: "The value (UTF-8 text, or hex with --hex).")
    var value: String

    @Flag(help: "Read the key and value as hexadecimal.")
    var hex = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let format = ByteFormat(hex: hex)
        let keyBytes = try format.parse(key, what: "key")
        let valueBytes = try format.parse(value, what: "value")
        let replaced = try global.withDatabase(directory) { database in
            try database.tree(tree).insert(valueBytes, forKey: keyBytes, durable: true)
        }
        print(replaced == nil ? "inserted" : "replaced")
    }
}
