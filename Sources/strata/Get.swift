import ArgumentParser
import StrataEngine

/// `strata get DIR TREE KEY`: prints one value.
struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the value stored under a key.",
        discussion: "Exits 1 with a message on standard error if the key is absent.")

    @Argument(help: "The database directory.")
    var directory: String
    @Argument(help: "The tree name.")
    var tree: String
    @Argument(help: "The key (UTF-8 text, or hex with --hex).")
    var key: String

    @Flag(help: "Read the key and print the value as hexadecimal.")
    var hex = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let format = ByteFormat(hex: hex)
        let keyBytes = try format.parse(key, what: "key")
        let value = try global.withDatabase(directory) { try $0.requireTree(tree).get(keyBytes) }
        guard let value else { throw CommandFailure("key \(key) is not in tree \(tree)") }
        print(format.render(value))
    }
}
