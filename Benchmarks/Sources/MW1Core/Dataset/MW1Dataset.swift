import Foundation

/// An MW1 dataset directory, loaded, typed and checked: the transactions to ingest, the queries,
/// their exact answers before and after the forget, and what to forget.
///
/// `load(directory:)` checks what it reads (every file's size against the manifest, every line's
/// shape and references, the vectors' dimension and finiteness, one truth line per query, the
/// counts against the manifest) and throws an `MW1DatasetError` naming the file and line at the
/// first problem. It does not recompute sha256 or the truths: `mw1_check.py` does.
public struct MW1Dataset: Sendable {
    /// The files of a dataset besides `manifest.json`.
    public static let files = [
        "ingest.jsonl", "vectors.fvecs", "queries.jsonl", "queries.fvecs", "truth.jsonl", "forget.jsonl",
        "truth-after-forget.jsonl",
    ]

    /// The directory it was loaded from.
    public let directory: String
    /// `manifest.json`.
    public let manifest: MW1Manifest
    /// `ingest.jsonl`, in order.
    public let transactions: [MW1Transaction]
    /// `queries.jsonl`, in order.
    public let queries: [MW1Query]
    /// `truth.jsonl`: line i is query i's exact answer.
    public let truth: [[String]]
    /// `truth-after-forget.jsonl`: line i is query i's exact answer after the forget and expiry.
    public let truthAfterForget: [[String]]
    /// `forget.jsonl`, in order.
    public let forget: [MW1ForgetItem]
    /// Every ingested node, by id (what `get` must return).
    public let nodes: [String: MW1Node]

    /// Loads and checks the dataset in `directory`.
    public static func load(directory: String) throws(MW1DatasetError) -> MW1Dataset {
        let manifest = try loadManifest(directory: directory)
        try checkSizes(directory: directory, manifest: manifest)
        let dim = manifest.dim
        let vectors = try FVecs.read(directory: directory, file: "vectors.fvecs", dim: dim, rows: manifest.counts.vectors)
        let queryVectors = try FVecs.read(
            directory: directory, file: "queries.fvecs", dim: dim, rows: manifest.counts.queryVectors)

        var ingest = IngestDecoder(vectors: vectors, dim: dim)
        var transactions: [MW1Transaction] = []
        transactions.reserveCapacity(manifest.counts.transactions)
        try JSONLines(directory: directory, file: "ingest.jsonl").forEach(as: RawTransaction.self) { line, raw throws(MW1DatasetError) in
            transactions.append(try ingest.decode(raw, line: line))
        }
        try checkCounts(manifest: manifest, decoder: ingest, transactions: transactions.count)

        let queryDecoder = QueryDecoder(queryVectors: queryVectors, dim: dim, nowMs: manifest.nowMs, nodes: ingest.nodes)
        let queries = try decodeQueries(directory: directory, with: queryDecoder)
        var perPhase: [String: Int] = [:]
        for query in queries { perPhase[query.phase.rawValue, default: 0] += 1 }
        guard perPhase == manifest.queries.filter({ $0.value > 0 }) else {
            throw .mismatch(file: "queries.jsonl", reason: "queries per phase \(perPhase.sorted(by: <)), the manifest says \(manifest.queries.sorted(by: <))")
        }

        let truth = try answers(directory: directory, file: "truth.jsonl", count: queries.count)
        let truthAfterForget = try answers(directory: directory, file: "truth-after-forget.jsonl", count: queries.count)
        var forget: [MW1ForgetItem] = []
        try JSONLines(directory: directory, file: "forget.jsonl").forEach(as: RawForget.self) { line, raw throws(MW1DatasetError) in
            guard let kind = MW1ForgetItem.Kind(rawValue: raw.kind) else {
                throw .invalid(file: "forget.jsonl", line: line, reason: "unknown kind \"\(raw.kind)\" (conversation or memory)")
            }
            guard ingest.nodes[raw.id]?.kind.rawValue == raw.kind else {
                throw .invalid(file: "forget.jsonl", line: line, reason: "\(raw.id) is not an ingested \(raw.kind)")
            }
            forget.append(MW1ForgetItem(kind: kind, id: raw.id))
        }
        return MW1Dataset(
            directory: directory, manifest: manifest, transactions: transactions, queries: queries, truth: truth,
            truthAfterForget: truthAfterForget, forget: forget, nodes: ingest.nodes)
    }

    /// Loads the queries of the dataset in `directory` alone (`manifest.json`, `queries.fvecs` and
    /// `queries.jsonl`): each line typed and checked as `load(directory:)` does, but for the
    /// references to ingested nodes, since `ingest.jsonl` is not read. For drivers that replay
    /// queries on a store an earlier run left.
    public static func loadQueries(directory: String) throws(MW1DatasetError) -> [MW1Query] {
        let manifest = try loadManifest(directory: directory)
        let queryVectors = try FVecs.read(
            directory: directory, file: "queries.fvecs", dim: manifest.dim, rows: manifest.counts.queryVectors)
        let decoder = QueryDecoder(queryVectors: queryVectors, dim: manifest.dim, nowMs: manifest.nowMs, nodes: nil)
        return try decodeQueries(directory: directory, with: decoder)
    }

    private static func loadManifest(directory: String) throws(MW1DatasetError) -> MW1Manifest {
        let manifestData = try JSONLines.read(directory: directory, file: "manifest.json")
        let manifest: MW1Manifest
        do {
            manifest = try JSONDecoder().decode(MW1Manifest.self, from: manifestData)
        } catch let error as DecodingError {
            throw .malformed(file: "manifest.json", line: 1, reason: JSONLines.describe(error))
        } catch {
            throw .malformed(file: "manifest.json", line: 1, reason: "\(error)")
        }
        guard manifest.format == "MW1" else {
            throw .mismatch(file: "manifest.json", reason: "format is \"\(manifest.format)\", expected \"MW1\"")
        }
        guard manifest.dim > 0 else { throw .mismatch(file: "manifest.json", reason: "dim is \(manifest.dim)") }
        return manifest
    }

    private static func decodeQueries(directory: String, with decoder: QueryDecoder) throws(MW1DatasetError) -> [MW1Query] {
        var queries: [MW1Query] = []
        try JSONLines(directory: directory, file: QueryDecoder.file).forEach(as: RawQuery.self) { line, raw throws(MW1DatasetError) in
            queries.append(try decoder.decode(raw, line: line))
        }
        return queries
    }

    private static func checkSizes(directory: String, manifest: MW1Manifest) throws(MW1DatasetError) {
        for file in files {
            guard let entry = manifest.files[file] else {
                throw .mismatch(file: "manifest.json", reason: "no entry for \(file) under files")
            }
            let path = directory + "/" + file
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let size = (attributes[.size] as? NSNumber)?.intValue
            else { throw .unreadable(file: file, reason: "no such file in \(directory)") }
            guard size == entry.bytes else {
                throw .mismatch(file: file, reason: "\(size) bytes, the manifest says \(entry.bytes)")
            }
        }
    }

    private static func checkCounts(manifest: MW1Manifest, decoder: IngestDecoder, transactions: Int) throws(MW1DatasetError) {
        var kinds: [MW1Node.Kind: Int] = [:]
        for node in decoder.nodes.values { kinds[node.kind, default: 0] += 1 }
        let c = manifest.counts
        let got: [(String, Int, Int)] = [
            ("transactions", transactions, c.transactions), ("conversations", kinds[.conversation] ?? 0, c.conversations),
            ("messages", kinds[.message] ?? 0, c.messages), ("entities", kinds[.entity] ?? 0, c.entities),
            ("memories", kinds[.memory] ?? 0, c.memories), ("mentions", decoder.edgeCounts[.mentions] ?? 0, c.mentions),
            ("replies", decoder.edgeCounts[.repliesTo] ?? 0, c.replies),
        ]
        for (name, have, want) in got where have != want {
            throw .mismatch(file: "ingest.jsonl", reason: "\(have) \(name), the manifest says \(want)")
        }
    }

    private static func answers(directory: String, file: String, count: Int) throws(MW1DatasetError) -> [[String]] {
        var out: [[String]] = []
        out.reserveCapacity(count)
        try JSONLines(directory: directory, file: file).forEach(as: [String].self) { line, ids throws(MW1DatasetError) in
            guard line <= count else { throw .mismatch(file: file, reason: "more lines than the \(count) queries") }
            out.append(ids)
        }
        guard out.count == count else {
            throw .mismatch(file: file, reason: "\(out.count) lines for \(count) queries")
        }
        return out
    }
}
