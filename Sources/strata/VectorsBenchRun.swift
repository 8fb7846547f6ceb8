import Foundation
import StrataEngine
import StrataGraph
import StrataRandom
import StrataVectorData

/// One run of `strata vectors bench`: load the files, build, reopen, search per ef, then the
/// filtered searches and the replacement, printing a JSON line per measurement.
struct VectorsBenchRun {
    let options: VectorsBench
    let engine: Database.Configuration
    static let space = "bench"
    static let namespace = "bench"

    func run() throws {
        let efs = try options.efList()
        let metric = options.metric.metric
        let data = try VectorsBenchData.load(options, metric: metric)
        let (directory, temporary) = try workDirectory()
        defer { if temporary { try? FileManager.default.removeItem(atPath: directory) } }
        let n = data.base.count
        let space = EmbeddingSpace(name: Self.space, model: "bench", dimension: data.base.dimension, metric: metric)

        // Build: every batch a durable transaction.
        let residentBefore = VectorsProcess.residentBytes()
        var store = try MemoryStore.open(at: directory, configuration: .init(engine: engine))
        var loader = VectorLoader(store: store, space: space, namespace: Self.namespace, batchSize: options.batch)
        loader.kind = { VectorsBuckets.kind(of: VectorsBuckets.bucket(of: $0)) }
        let build = try VectorsProcess.measure {
            try loader.load(data.base, indices: Array(0..<n)) { Console.progress("bench: built \($0) of \(n)") }
        }
        Console.endProgress()
        let residentBuilt = VectorsProcess.residentBytes()
        try store.close()

        // Reopen: what a process pays to get back to searching.
        let reopened = try VectorsProcess.measure { try MemoryStore.open(at: directory, configuration: .init(engine: engine)) }
        store = reopened.result
        defer { try? store.close() }
        loader = VectorLoader(store: store, space: space, namespace: Self.namespace, batchSize: options.batch)
        loader.kind = { VectorsBuckets.kind(of: VectorsBuckets.bucket(of: $0)) }

        var common = VectorsBenchLine()
        common["engine"] = .text("strata")
        common["dataset"] = .text(data.name)
        common["phase"] = .text("search")
        common["n"] = .int(n)
        common["dim"] = .int(data.base.dimension)
        common["metric"] = .text(options.metric.rawValue)
        common["queries"] = .int(data.queries.count)
        common["k"] = .int(options.k)
        common["ef"] = .null
        common["m"] = .null
        common["ef_construction"] = .null
        common["recall"] = .null
        common["qps"] = .null
        common["qps_cpu"] = .null
        common["qps_batch"] = .null
        common["build_s"] = VectorsBenchLine.number(build.wall, 3)
        common["build_rate"] = VectorsBenchLine.number(Double(n) / build.wall)
        common["build_rate_cpu"] = VectorsBenchLine.number(Double(n) / build.cpu)
        common["rss_bytes_per_vector"] = VectorsBenchLine.number(Double(residentBuilt - residentBefore) / Double(n))
        common["open_ms"] = VectorsBenchLine.number(reopened.wall * 1000, 2)
        common["selectivity"] = .null
        common["threads"] = .int(1)
        common["index"] = .text(VectorBench.searchMethod)
        common["load_avg"] = VectorsBenchLine.number(VectorsProcess.loadAverage())
        common["batch"] = .int(options.batch)
        common["bytes_on_disk"] = .int(Int(Measurement.directorySize(directory).bytes))

        // Fresh build, per ef.
        _ = try searchPass(store, data.queries, ef: efs[0], filter: .none, count: min(20, data.queries.count))
        var freshRecall: [Int: Double] = [:]
        for ef in efs {
            let pass = try searchPass(store, data.queries, ef: ef, filter: .none)
            freshRecall[ef] = Recall.mean(pass.found, exact: data.exact, k: options.k)
            var line = common
            fill(&line, pass, ef: ef, recall: freshRecall[ef]!)
            print(line.json)
        }

        // Filtered, per selectivity and ef: recall against the exact answer among the admitted rows.
        for selectivity in try options.selectivities() {
            let exact = try ExactNeighbours.search(
                base: data.base, queries: data.queries, k: options.k, metric: metric
            ) { VectorsBuckets.admits($0, selectivity: selectivity) }
            let filter = VectorsBuckets.filter(selectivity: selectivity)
            for ef in efs {
                let pass = try searchPass(store, data.queries, ef: ef, filter: filter)
                var line = common
                line["phase"] = .text("filter")
                line["selectivity"] = VectorsBenchLine.number(selectivity, 2)
                fill(&line, pass, ef: ef, recall: Recall.mean(pass.found, exact: exact, k: options.k))
                line["short_results"] = .int(pass.short)
                print(line.json)
            }
        }

        // Replace a fraction: delete, insert again under new ids, search at the same ef.
        if let fraction = options.replace {
            var generator = SplitMix64(seed: 0xBE7C4)
            let chosen = Array(Array(0..<n).shuffled(using: &generator).prefix(Int((fraction * Double(n)).rounded())))
            let replaced = try VectorsProcess.measure {
                try loader.delete(indices: chosen)
                try loader.load(data.base, indices: chosen, prefix: "r")
            }
            for ef in efs {
                let pass = try searchPass(store, data.queries, ef: ef, filter: .none)
                var line = common
                line["phase"] = .text("replace")
                fill(&line, pass, ef: ef, recall: Recall.mean(pass.found, exact: data.exact, k: options.k))
                line["recall_fresh"] = VectorsBenchLine.number(freshRecall[ef], 4)
                line["replaced"] = .int(chosen.count)
                line["replace_rate"] = VectorsBenchLine.number(Double(chosen.count) / replaced.wall)
                print(line.json)
            }
        }
    }

    /// Every query once, one at a time: the rows found, the wall and CPU seconds, how many
    /// queries got fewer than k.
    func searchPass(
        _ store: MemoryStore, _ queries: VectorRows<Float>, ef: Int, filter: VectorFilter, count: Int? = nil
    ) throws -> (found: [[Int]], wall: Double, cpu: Double, short: Int) {
        let reader = try store.reader()
        let total = count ?? queries.count
        let vectors = (0..<total).map { queries[$0] }
        let measured = try VectorsProcess.measure {
            try vectors.map { query in
                try VectorBench.search(
                    reader: reader, query: query, k: options.k, ef: ef, space: Self.space, namespace: Self.namespace,
                    filter: filter)
            }
        }
        var found: [[Int]] = []
        var short = 0
        for result in measured.result {
            found.append(try result.hits.map { hit in
                guard let row = VectorLoader.row(of: hit.id) else {
                    throw StrataError(.corruption, "the search returned \(hit.id), which the bench did not store")
                }
                return row
            })
            if result.hits.count < options.k { short += 1 }
        }
        return (found, measured.wall, measured.cpu, short)
    }

    func fill(_ line: inout VectorsBenchLine, _ pass: (found: [[Int]], wall: Double, cpu: Double, short: Int), ef: Int, recall: Double) {
        line["ef"] = .int(ef)
        line["recall"] = VectorsBenchLine.number(recall, 4)
        line["qps"] = VectorsBenchLine.number(Double(pass.found.count) / pass.wall)
        line["qps_cpu"] = VectorsBenchLine.number(Double(pass.found.count) / pass.cpu)
    }

    /// The --work directory (created; refused unless missing or empty), or a new temporary one.
    func workDirectory() throws -> (path: String, temporary: Bool) {
        let manager = FileManager.default
        guard let work = options.work else {
            let path = NSTemporaryDirectory() + "strata-vectors-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            return (path, true)
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: work, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try manager.contentsOfDirectory(atPath: work)).isEmpty else {
                throw StrataError(.invalidArgument, "--work \(work) exists and is not an empty directory; the bench builds a fresh store")
            }
        } else {
            try manager.createDirectory(atPath: work, withIntermediateDirectories: true)
        }
        return (work, false)
    }
}
