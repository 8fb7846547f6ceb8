import ArgumentParser
import StrataEngine
import StrataGraph
import StrataVectorData

/// `strata vectors search DIR --space S --k 10 (--vector … | --query FILE --index I)`.
struct VectorsSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Print the k nearest stored vectors to a query vector.",
        discussion: """
            The query is given inline (--vector "0.1,0.2,...") or as row --index of an .fvecs \
            file (--query). Prints rank, id and distance (smaller is nearer), nearest first.
            """)

    @Argument(help: "The database directory.")
    var directory: String

    @OptionGroup var target: VectorSpaceOptions

    @Option(help: "How many neighbours.")
    var k: Int = 10

    @Option(help: "The search breadth of the vector index (default: the index's own).")
    var ef: Int?

    @Option(help: "The query vector: comma-separated numbers.")
    var vector: String?

    @Option(help: "An .fvecs file holding the query (with --index).")
    var query: String?

    @Option(help: "The query's row in the --query file, from 0.")
    var index: Int?

    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard k >= 1 else { throw StrataError(.invalidArgument, "--k must be at least 1, not \(k)") }
        if let ef, ef < 1 { throw StrataError(.invalidArgument, "--ef must be at least 1, not \(ef)") }
        guard (vector == nil) != (query == nil) else {
            throw StrataError(.invalidArgument, "give the query either as --vector or as --query FILE --index I")
        }
        guard (query == nil) == (index == nil) else {
            throw StrataError(.invalidArgument, "--query and --index go together")
        }
    }

    /// The query vector from the options.
    func queryVector() throws -> [Float] {
        if let vector {
            return try vector.split(separator: ",").map { part in
                let text = part.trimmingCharacters(in: .whitespaces)
                guard let value = Float(text) else {
                    throw StrataError(.invalidArgument, "--vector: \"\(text)\" is not a number")
                }
                return value
            }
        }
        let rows = try TexmexFile.read(query!, as: Float.self)
        guard let index, index >= 0, index < rows.count else {
            throw StrataError(.invalidArgument, "--index \(index ?? -1) is not a row of \(query!) (it has \(rows.count))")
        }
        return rows[index]
    }

    func run() throws {
        let vector = try queryVector()
        let (result, time) = try global.withDatabase(directory, reading: reading) { database in
            let store = try MemoryStore(database: database)
            return try Measurement.time {
                try VectorBench.search(
                    reader: store.reader(), query: vector, k: k, ef: ef, space: target.space, namespace: target.namespace)
            }
        }
        var table = Table("rank", "id", "distance")
        table.leftAligned = [1]
        for (rank, hit) in result.hits.enumerated() { table.add("\(rank + 1)", "\(hit.id)", "\(hit.distance)") }
        print(table.render(indent: ""))
        if result.hits.count < k {
            Console.error("only \(result.hits.count) of \(k): the namespace holds no more vectors in the space")
        }
        Console.error("\(result.scanned) vectors compared in \(Measurement.duration(time))")
    }
}
