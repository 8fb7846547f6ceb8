import ArgumentParser
import StrataEngine

/// `strata scan DIR TREE`: prints entries in key order.
struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the entries of a tree in key order (or reverse), optionally by prefix or range.",
        discussion: """
            Prints one `key<TAB>value` line per entry. --prefix, --from (inclusive) and --to \
            (exclusive) combine: only keys inside all of them are printed.
            """)

    @Argument(help: "The database directory.")
    var directory: String
    @Argument(help: "The tree name.")
    var tree: String

    @Option(help: "Only keys starting with this prefix.")
    var prefix: String?
    @Option(help: "Only keys at or after this key.")
    var from: String?
    @Option(help: "Only keys before this key (exclusive).")
    var to: String?
    @Flag(help: "Walk from the largest key down.")
    var reverse = false
    // Unconditional: `--limit -1` takes -1 as the value (and is refused below) instead of
    // reading it as an unknown flag.
    @Option(parsing: .unconditional, help: "Print at most this many entries (0 or more).")
    var limit: Int?
    @Flag(help: "Print a JSON array of {key, value} objects.")
    var json = false
    @Flag(help: "Read bounds and print keys and values as hexadecimal.")
    var hex = false
    @Flag(help: "Print keys as TupleKey tuples, e.g. (\"msg\", 42, 2026-01-01T00:00:03.250Z, 17); keys that are not tuples print as with --hex or as text.")
    var tuples = false

    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    struct Row: Encodable {
        var key: String
        var value: String
    }

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
    }

    func run() throws {
        let format = ByteFormat(hex: hex)
        var lower = try from.map { try format.parse($0, what: "--from") }
        var upper = try to.map { try format.parse($0, what: "--to") }
        if let prefix = try prefix.map({ try format.parse($0, what: "--prefix") }), !prefix.isEmpty {
            if lower.map({ $0.lexicographicallyPrecedes(prefix) }) ?? true { lower = prefix }
            if let end = Scan.end(ofPrefix: prefix), upper.map({ end.lexicographicallyPrecedes($0) }) ?? true {
                upper = end
            }
        }
        let rows = try global.withDatabase(directory, reading: reading) { database -> [Row] in
            var cursor = try database.requireTree(tree).range(
                lower.map(KeyBound.included) ?? .unbounded, upper.map(KeyBound.excluded) ?? .unbounded,
                reverse: reverse)
            var rows: [Row] = []
            var printed = 0
            while printed < (limit ?? .max), let entry = try cursor.next() {
                let key = (tuples ? TupleKeyFormat.decode(entry.key) : nil) ?? format.render(entry.key)
                let row = Row(key: key, value: format.render(entry.value))
                if json { rows.append(row) } else { print(row.key + "\t" + row.value) }
                printed += 1
            }
            return rows
        }
        if json { try Console.printJSON(rows) }
    }

    /// The smallest key after every key starting with `prefix`, or nil if there is none.
    static func end(ofPrefix prefix: [UInt8]) -> [UInt8]? {
        var end = prefix
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return end
            }
            end.removeLast()
        }
        return nil
    }
}
