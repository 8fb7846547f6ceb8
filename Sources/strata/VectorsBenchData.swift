import Foundation
import StrataEngine
import StrataGraph
import StrataVectorData

/// The bench's input: base and query vectors, and each query's exact k nearest base rows (from
/// the truth file, or computed when there is none or --limit cut the base).
struct VectorsBenchData {
    let name: String
    let base: VectorRows<Float>
    let queries: VectorRows<Float>
    let exact: [[Int]]

    static func load(_ options: VectorsBench, metric: DistanceMetric) throws -> VectorsBenchData {
        let whole = try TexmexFile.read(options.base, as: Float.self)
        let base = options.limit.map { whole.prefix($0) } ?? whole
        let queries = try TexmexFile.read(
            options.queries, as: Float.self, limit: options.maxQueries, dimension: base.dimension)
        try base.checkSearchable(metric: metric)
        try queries.checkSearchable(metric: metric)
        let name = options.dataset ?? URL(fileURLWithPath: options.base).deletingLastPathComponent().lastPathComponent
        let exact: [[Int]]
        if let truthPath = options.truth, base.count == whole.count {
            let truth = try TexmexFile.read(truthPath, as: Int32.self, limit: queries.count)
            guard truth.count == queries.count else {
                throw StrataError(.invalidArgument, "\(truthPath) has \(truth.count) rows for \(queries.count) queries")
            }
            guard truth.dimension >= min(options.k, base.count) else {
                throw StrataError(.invalidArgument, "\(truthPath) holds \(truth.dimension) neighbours per query, fewer than k = \(options.k)")
            }
            exact = try (0..<truth.count).map { row in
                try truth[row].prefix(options.k).map { value in
                    guard value >= 0, Int(value) < base.count else {
                        throw StrataError(.malformedVectorFile, "\(truthPath): row \(row) names base row \(value) of \(base.count)")
                    }
                    return Int(value)
                }
            }
        } else {
            if options.truth != nil { Console.error("bench: --limit cut the base; computing the truth by exact search") }
            exact = try ExactNeighbours.search(base: base, queries: queries, k: options.k, metric: metric)
        }
        return VectorsBenchData(name: name, base: base, queries: queries, exact: exact)
    }
}
