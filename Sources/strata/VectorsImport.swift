import ArgumentParser
import StrataEngine
import StrataGraph
import StrataVectorData

/// `strata vectors import DIR --space S FILE.fvecs`: one node and vector per row, durable per batch.
struct VectorsImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store every vector of an .fvecs file as a node (id v<row>) with its embedding.",
        discussion: """
            Creates the database and the embedding space when missing. The whole file is read and \
            checked first (dimension, truncation, NaN or infinity, a zero vector under cosine, \
            the space's dimension and metric, ids already stored): a bad file changes nothing. \
            Then one transaction per --batch vectors, each synced to disk when it commits; \
            progress on standard error.
            """)

    @Argument(help: "The database directory (created if missing).")
    var directory: String

    @OptionGroup var target: VectorSpaceOptions

    @Option(help: "The metric of a new space (an existing space must have it).")
    var metric: MetricArgument = .cosine

    @Option(help: "The model name recorded with a new space.")
    var model: String = "fvecs"

    @Option(help: "Vectors per durable transaction.")
    var batch: Int = 1000

    @Argument(help: "The .fvecs file.")
    var file: String

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard batch >= 1 else { throw StrataError(.invalidArgument, "--batch must be at least 1, not \(batch)") }
    }

    func run() throws {
        let rows = try TexmexFile.read(file, as: Float.self)
        try rows.checkSearchable(metric: metric.metric)
        let space = EmbeddingSpace(name: target.space, model: model, dimension: rows.dimension, metric: metric.metric)
        var configuration = global.configuration()
        configuration.createIfMissing = true
        let store = try MemoryStore.open(at: directory, configuration: .init(engine: configuration))
        let indices = Array(0..<rows.count)
        let (_, time) = try Measurement.time {
            defer { try? store.close() }
            let loader = VectorLoader(store: store, space: space, namespace: target.namespace, batchSize: batch)
            try loader.checkFits(rows, indices: indices)
            try loader.load(rows, indices: indices) { written in
                Console.progress("import: \(written) of \(rows.count) vectors")
            }
            Console.endProgress()
            try store.close()
        }
        let rate = Double(rows.count) / max(time / 1000, 1e-9)
        print("imported \(rows.count) \(rows.dimension)-dimensional vectors into space \(space.name) of namespace "
            + "\(target.namespace) in \(Measurement.duration(time)) (\(Int(rate)) vectors/s, durable every \(batch))")
    }
}
