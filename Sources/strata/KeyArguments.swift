import ArgumentParser

/// The `DIR TREE KEY` arguments and `--hex` flag of the single-key commands (get, put, delete).
struct KeyArguments: ParsableArguments {
    @Argument(help: "The database directory (it must already be a Strata database).")
    var directory: String
    @Argument(help: "The tree name.")
    var tree: String
    @Argument(help: "The key (UTF-8 text, or hex with --hex).")
    var key: String

    @Flag(help: "Read the key (and value) and print values as hexadecimal.")
    var hex = false

    var format: ByteFormat { ByteFormat(hex: hex) }

    /// The key's bytes, parsed as text or hex.
    func keyBytes() throws -> [UInt8] { try format.parse(key, what: "key") }
}
