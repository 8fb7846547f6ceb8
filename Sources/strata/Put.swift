import ArgumentParser
import StrataEngine

/// `strata put DIR TREE KEY VALUE`: stores one value durably.
struct Put: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store a value under a key; durable when it returns.",
        discussion: "The tree must exist, or be created with --create (so that a misspelt name is an error, not a new tree).")

    @OptionGroup var target: KeyArguments
    @Argument(help: "The value (UTF-8 text, or hex with --hex).")
    var value: String
    @Flag(help: "Create the tree if it does not exist.")
    var create = false
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let key = try target.keyBytes()
        let valueBytes = try target.format.parse(value, what: "value")
        let replaced = try global.withDatabase(target.directory) { database in
            let tree: Tree
            if create {
                tree = try database.tree(target.tree)
            } else if let existing = try database.existingTree(target.tree) {
                tree = existing
            } else {
                let names = try database.treeNames()
                throw CommandFailure(
                    "there is no tree named \(target.tree) in \(target.directory) "
                        + (names.isEmpty ? "(it has no trees)" : "(its trees: \(names.joined(separator: ", ")))")
                        + "; pass --create to create it")
            }
            return try tree.insert(valueBytes, forKey: key, durability: .synced)
        }
        print(replaced == nil ? "inserted" : "replaced")
    }
}
