import ArgumentParser
import StrataEngine

/// `strata get DIR TREE KEY`: prints one value.
struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the value stored under a key.",
        discussion: "Exits 1 with a message on standard error if the key is absent.")

    @OptionGroup var target: KeyArguments
    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let key = try target.keyBytes()
        let value = try global.withDatabase(target.directory, reading: reading) { try $0.requireTree(target.tree).get(key) }
        guard let value else { throw CommandFailure("key \(target.key) is not in tree \(target.tree)") }
        print(target.format.render(value))
    }
}
