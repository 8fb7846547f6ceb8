import ArgumentParser
import Foundation
import StrataEngine
import StrataGraph

/// `strata vectors bench --base B.fvecs --queries Q.fvecs --truth T.ivecs --k 10 --ef 16,32,…`.
struct VectorsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Build a store from an .fvecs set and print recall@k and QPS per ef as JSON lines.",
        discussion: """
            Builds a fresh store (one node per base vector, in durable transactions of --batch), \
            closes and reopens it (open_ms), then per --ef runs every query one at a time on one \
            thread: recall@k against the truth, QPS by wall and by CPU time. --filter adds the \
            searches restricted to a fraction of the nodes (each node has one of 100 bucket kinds; \
            the filter goes through the kind index) with recall against the filtered exact answer; \
            --replace deletes a fraction of the vectors and inserts them again under new ids, then \
            measures recall at each ef beside the fresh build's. Without --truth, or with --limit \
            below the file's size, the truth is computed by exact search. One JSON line per \
            (phase, selectivity, ef) on standard output (schema: Benchmarks/README.md), progress on \
            standard error.
            """)

    @Option(help: "The base vectors (.fvecs).")
    var base: String

    @Option(help: "The query vectors (.fvecs).")
    var queries: String

    @Option(help: "The ground truth (.ivecs: per query, base rows nearest first).")
    var truth: String?

    @Option(help: "Neighbours per query (recall@k).")
    var k: Int = 10

    @Option(help: "Comma-separated search breadths.")
    var ef: String = "16,32,64,128,256"

    @Option(help: "Where the store is built (must not exist or be empty; kept). Default: a temporary directory, removed.")
    var work: String?

    @Option(help: "Use only the first N base vectors.")
    var limit: Int?

    @Option(help: "Use only the first N queries.")
    var maxQueries: Int?

    @Option(help: "The space's metric.")
    var metric: MetricArgument = .cosine

    @Option(help: "The data set's name in the JSON lines (default: the base file's directory name).")
    var dataset: String?

    @Option(help: "Delete and reinsert this fraction of the vectors, then measure recall again (e.g. 0.3).")
    var replace: Double?

    @Option(help: "Comma-separated filter selectivities, multiples of 0.01 (e.g. 0.01,0.1).")
    var filter: String?

    @Option(help: "Vectors per durable transaction while building.")
    var batch: Int = 1000

    @OptionGroup var global: GlobalOptions

    /// The --ef list.
    func efList() throws -> [Int] {
        let values = ef.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw StrataError(.invalidArgument, "--ef must be a comma-separated list of integers ≥ 1, not \"\(ef)\"")
        }
        return values.map { $0! }
    }

    /// The --filter selectivities.
    func selectivities() throws -> [Double] {
        guard let filter else { return [] }
        return try filter.split(separator: ",").map { part in
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let value = Double(text), value > 0, value <= 1,
                abs(value * 100 - (value * 100).rounded()) < 1e-9
            else {
                throw StrataError(.invalidArgument, "--filter: \"\(text)\" is not a selectivity in (0, 1] in steps of 0.01")
            }
            return value
        }
    }

    func validate() throws {
        guard k >= 1 else { throw StrataError(.invalidArgument, "--k must be at least 1, not \(k)") }
        _ = try efList()
        _ = try selectivities()
        if let limit, limit < 1 { throw StrataError(.invalidArgument, "--limit must be at least 1, not \(limit)") }
        if let maxQueries, maxQueries < 1 {
            throw StrataError(.invalidArgument, "--max-queries must be at least 1, not \(maxQueries)")
        }
        if let replace, !(replace > 0 && replace < 1) {
            throw StrataError(.invalidArgument, "--replace must be a fraction between 0 and 1, not \(replace)")
        }
        guard batch >= 1 else { throw StrataError(.invalidArgument, "--batch must be at least 1, not \(batch)") }
    }

    func run() throws {
        var engine = global.configuration()
        engine.createIfMissing = true
        try VectorsBenchRun(options: self, engine: engine).run()
    }
}
