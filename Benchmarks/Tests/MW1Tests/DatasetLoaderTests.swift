import Foundation
import MW1Core
import Testing

@Suite("MW1 dataset loader")
struct DatasetLoaderTests {
    @Test func loadsTheTinyDataset() throws {
        let directory = try TinyDataset().write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dataset = try MW1Dataset.load(directory: directory)
        #expect(dataset.manifest.name == "mw1-4-s1")
        #expect(dataset.transactions.count == 8)
        #expect(dataset.queries.count == 19)
        #expect(dataset.truth.count == 19 && dataset.truthAfterForget.count == 19)
        #expect(dataset.forget == [MW1ForgetItem(kind: .conversation, id: "c000001"), MW1ForgetItem(kind: .memory, id: "mem0000002")])
        #expect(dataset.nodes["m00000001"] == .message(.init(
            id: "m00000001", namespace: "ns0", conversation: "c000000", role: .assistant, ts: 2000,
            text: "Ann Lee is in Brookton.", tokens: 6)))
        #expect(dataset.nodes["mem0000001"] == .memory(.init(
            id: "mem0000001", namespace: "ns0", memoryKind: .working, importance: 0.8, ts: 3600, expiresAt: 4000,
            text: "Trip to Brookton.", tokens: 5, source: "m00000002")))
        let embedding = try #require(dataset.transactions[1].embedding)
        #expect(embedding.owner == "m00000001" && Array(embedding.vector) == [0.6, 0.8])
        #expect(dataset.transactions[1].edges.count == 3)
        guard case .knnMemory(_, .episodic, 0.25, 10000, let vector, 2) = dataset.queries[17] else {
            Issue.record("query 18 is \(dataset.queries[17])")
            return
        }
        #expect(Array(vector) == [1, 0])
        #expect(dataset.removedIDs() == ["c000001", "m00000002", "m00000003", "mem0000001", "mem0000002", "mem0000003"])
        #expect(dataset.expectedExpiryCount() == 1)
    }

    /// The queries alone, as `mw1-loop` loads them: the same queries as the whole load, bad lines
    /// still typed errors, references to nodes not ingested not checked.
    @Test func loadsTheQueriesAlone() throws {
        var tiny = TinyDataset()
        let directory = try tiny.write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let queries = try MW1Dataset.loadQueries(directory: directory)
        let dataset = try MW1Dataset.load(directory: directory)
        #expect(queries.map { "\($0)" } == dataset.queries.map { "\($0)" })
        tiny.queries[5].0 = #"{"phase":"window","conversation":"c000000"}"#
        let bad = try tiny.write()
        defer { try? FileManager.default.removeItem(atPath: bad) }
        #expect(throws: MW1DatasetError.self) { try MW1Dataset.loadQueries(directory: bad) }
        tiny.queries[5].0 = #"{"phase":"window","conversation":"c000009","limit":1}"#
        let unchecked = try tiny.write()
        defer { try? FileManager.default.removeItem(atPath: unchecked) }
        guard case .window("c000009", 1) = try MW1Dataset.loadQueries(directory: unchecked)[5] else {
            Issue.record("query 6 is not the window of c000009")
            return
        }
    }

    /// Each row breaks one thing; the loader must name the file and the line.
    static let badInputs: [(String, @Sendable (inout TinyDataset) -> Void, MW1DatasetError)] = [
        ("ingest line not JSON", { $0.ingest[2] = "{\"tx\":2," }, .malformed(file: "ingest.jsonl", line: 3, reason: "")),
        ("ingest field of the wrong type", { $0.ingest[1] = $0.ingest[1].replacingOccurrences(of: "\"ts\":2000", with: "\"ts\":\"soon\"") },
         .malformed(file: "ingest.jsonl", line: 2, reason: "")),
        ("unknown kind", { $0.ingest[1] = $0.ingest[1].replacingOccurrences(of: "\"kind\":\"entity\"", with: "\"kind\":\"robot\"") },
         .invalid(file: "ingest.jsonl", line: 2, reason: "")),
        ("message before its conversation", { $0.ingest[2] = $0.ingest[2].replacingOccurrences(of: "\"conversation\":\"c000001\"", with: "\"conversation\":\"c000007\"") },
         .invalid(file: "ingest.jsonl", line: 3, reason: "")),
        ("edge to a missing node", { $0.ingest[5] = $0.ingest[5].replacingOccurrences(of: "\"to\":\"m00000002\"", with: "\"to\":\"m00000009\"") },
         .invalid(file: "ingest.jsonl", line: 6, reason: "")),
        ("vec not the transaction's row", { $0.ingest[3] = $0.ingest[3].replacingOccurrences(of: "\"vec\":3", with: "\"vec\":4") },
         .invalid(file: "ingest.jsonl", line: 4, reason: "")),
        ("duplicate id", { $0.ingest[5] = $0.ingest[5].replacingOccurrences(of: "\"id\":\"m00000003\"", with: "\"id\":\"m00000001\"") },
         .invalid(file: "ingest.jsonl", line: 6, reason: "")),
        ("unknown phase", { $0.queries[4].0 = #"{"phase":"gets","id":"x"}"# }, .invalid(file: "queries.jsonl", line: 5, reason: "")),
        ("missing limit", { $0.queries[5].0 = #"{"phase":"window","conversation":"c000000"}"# }, .invalid(file: "queries.jsonl", line: 6, reason: "")),
        ("qvec past queries.fvecs", { $0.queries[13].0 = #"{"phase":"knn","ns":"ns0","qvec":60,"k":2}"# }, .invalid(file: "queries.jsonl", line: 14, reason: "")),
        ("truth line not a list of ids", { $0.queries[6].1 = "[1,2]" }, .malformed(file: "truth.jsonl", line: 7, reason: "")),
        ("forget of an id never ingested", { $0.forget[1] = #"{"kind":"memory","id":"mem0000099"}"# }, .invalid(file: "forget.jsonl", line: 2, reason: "")),
        ("truth file a line short", { d in
            d.overrides["truth-after-forget.jsonl"] = TinyDataset.lines(d.queries.dropLast().map(\.2))
        }, .mismatch(file: "truth-after-forget.jsonl", reason: "")),
        ("size differs from the manifest", { $0.manifestEdits = [("\"forget.jsonl\":{\"bytes\":", "\"forget.jsonl\":{\"bytes\":1")] },
         .mismatch(file: "forget.jsonl", reason: "")),
        ("vector row of another dimension", { d in d.overrides["vectors.fvecs"] = TinyDataset.fvecs(d.vectors, dim: 3) },
         .badVectors(file: "vectors.fvecs", reason: "")),
        ("vector with a NaN", { $0.vectors[2] = [.nan, 1] }, .badVectors(file: "vectors.fvecs", reason: "")),
        ("count differs from the manifest", { $0.manifestEdits = [("\"mentions\":5", "\"mentions\":6")] },
         .mismatch(file: "ingest.jsonl", reason: "")),
    ]

    @Test(arguments: 0..<badInputs.count)
    func badInputIsATypedErrorNamingFileAndLine(_ row: Int) throws {
        let (name, breakIt, expected) = Self.badInputs[row]
        var tiny = TinyDataset()
        breakIt(&tiny)
        let directory = try tiny.write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try MW1Dataset.load(directory: directory)
            Issue.record("\(name): loaded")
        } catch {
            #expect(Self.place(error) == Self.place(expected), "\(name): \(error)")
            #expect(error.description.contains(Self.place(expected).file), "\(name): \(error)")
        }
    }

    @Test func missingFileIsUnreadable() throws {
        let directory = try TinyDataset().write()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.removeItem(atPath: directory + "/queries.fvecs")
        #expect(throws: MW1DatasetError.unreadable(file: "queries.fvecs", reason: "no such file in \(directory)")) {
            try MW1Dataset.load(directory: directory)
        }
    }

    /// The case, file and line of an error (its reason is for people).
    static func place(_ error: MW1DatasetError) -> (kind: String, file: String, line: Int) {
        switch error {
        case .unreadable(let file, _): ("unreadable", file, 0)
        case .malformed(let file, let line, _): ("malformed", file, line)
        case .invalid(let file, let line, _): ("invalid", file, line)
        case .badVectors(let file, _): ("badVectors", file, 0)
        case .mismatch(let file, _): ("mismatch", file, 0)
        }
    }
}
