import ArgumentParser
import StrataEngine

/// `strata put DIR TREE KEY VALUE`: stores one value durably.
struct Put: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store a value under a key (creating the tree if needed); durable when it returns.")

    @OptionGroup var target: KeyArguments
    @Argument(help: "The value (UTF-8 text, or hex with --hex).")
    var value: String
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let key = try target.keyBytes()
        let valueBytes = try target.format.parse(value, what: "value")
        let replaced = try global.withDatabase(target.directory) { database in
            try database.tree(target.tree).insert(valueBytes, forKey: key, durable: true)
        }
        print(replaced == nil ? "inserted" : "replaced")
    }
}
