import ArgumentParser
import StrataGraph

/// `strata vectors`: TEXMEX vector files (fvecs/ivecs) in and out of a StrataGraph memory store.
struct Vectors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import, search and benchmark vectors (TEXMEX .fvecs/.ivecs files) in a memory store.",
        discussion: """
            Vectors are stored as StrataGraph nodes of a custom kind, one node per vector with the \
            id v<index> (its row in the file, from 0), in an embedding space of the file's dimension.
            """,
        subcommands: [VectorsImport.self, VectorsSearch.self, VectorsBench.self])
}

/// The space and namespace every `strata vectors` command works in.
struct VectorSpaceOptions: ParsableArguments {
    @Option(help: "The embedding space (created by import when missing).")
    var space: String

    @Option(help: "The namespace the vectors' nodes belong to.")
    var namespace: String = "vectors"
}

/// `--metric`: how the vectors are compared.
enum MetricArgument: String, ExpressibleByArgument, CaseIterable {
    case cosine, dot, l2

    var metric: DistanceMetric {
        switch self {
        case .cosine: .cosine
        case .dot: .dot
        case .l2: .l2
        }
    }
}
