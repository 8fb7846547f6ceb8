import Foundation

/// A hand-made MW1 dataset small enough to check by hand: one namespace, two conversations of
/// two messages each, two entities, four memories (two expired at now_ms = 10000), 2-dimensional
/// vectors, and one query or two of every phase with their truths worked out below. The forget
/// removes conversation c000001 (so m00000002, m00000003 and mem0000001, derived from m00000002)
/// and memory mem0000002; the sweep then removes mem0000003.
struct TinyDataset {
    var ingest = [
        #"{"tx":0,"nodes":[{"id":"c000000","kind":"conversation","ns":"ns0","title":"Plans","ts":1000},{"id":"m00000000","kind":"message","ns":"ns0","conversation":"c000000","role":"user","ts":1000,"text":"Hello Ann Lee.","tokens":4,"vec":0},{"id":"e0000000","kind":"entity","ns":"ns0","type":"person","name":"Ann Lee"}],"edges":[{"type":"MENTIONS","from":"m00000000","to":"e0000000","weight":0.5}]}"#,
        #"{"tx":1,"nodes":[{"id":"m00000001","kind":"message","ns":"ns0","conversation":"c000000","role":"assistant","ts":2000,"text":"Ann Lee is in Brookton.","tokens":6,"vec":1},{"id":"e0000001","kind":"entity","ns":"ns0","type":"place","name":"Brookton"}],"edges":[{"type":"MENTIONS","from":"m00000001","to":"e0000000","weight":0.7},{"type":"MENTIONS","from":"m00000001","to":"e0000001","weight":0.9},{"type":"REPLIES_TO","from":"m00000001","to":"m00000000","weight":1.0}]}"#,
        #"{"tx":2,"nodes":[{"id":"c000001","kind":"conversation","ns":"ns0","title":"Trips","ts":3000},{"id":"m00000002","kind":"message","ns":"ns0","conversation":"c000001","role":"user","ts":3000,"text":"Brookton again.","tokens":4,"vec":2}],"edges":[{"type":"MENTIONS","from":"m00000002","to":"e0000001","weight":0.6}]}"#,
        #"{"tx":3,"nodes":[{"id":"mem0000000","kind":"memory","ns":"ns0","memory_kind":"episodic","importance":0.5,"ts":3500,"expires_at":null,"text":"Ann is in Brookton.","tokens":5,"vec":3,"source":"m00000001"}],"edges":[{"type":"DERIVED_FROM","from":"mem0000000","to":"m00000001","weight":1.0}]}"#,
        #"{"tx":4,"nodes":[{"id":"mem0000001","kind":"memory","ns":"ns0","memory_kind":"working","importance":0.8,"ts":3600,"expires_at":4000,"text":"Trip to Brookton.","tokens":5,"vec":4,"source":"m00000002"}],"edges":[{"type":"DERIVED_FROM","from":"mem0000001","to":"m00000002","weight":1.0}]}"#,
        #"{"tx":5,"nodes":[{"id":"m00000003","kind":"message","ns":"ns0","conversation":"c000001","role":"assistant","ts":5000,"text":"Brookton is far.","tokens":4,"vec":5}],"edges":[{"type":"MENTIONS","from":"m00000003","to":"e0000001","weight":0.4},{"type":"REPLIES_TO","from":"m00000003","to":"m00000002","weight":1.0}]}"#,
        #"{"tx":6,"nodes":[{"id":"mem0000002","kind":"memory","ns":"ns0","memory_kind":"semantic","importance":0.3,"ts":6000,"expires_at":20000,"text":"Ann says hello.","tokens":4,"vec":6,"source":"m00000000"}],"edges":[{"type":"DERIVED_FROM","from":"mem0000002","to":"m00000000","weight":1.0}]}"#,
        #"{"tx":7,"nodes":[{"id":"mem0000003","kind":"memory","ns":"ns0","memory_kind":"procedural","importance":0.9,"ts":7000,"expires_at":8000,"text":"Ask Ann first.","tokens":4,"vec":7,"source":"m00000001"}],"edges":[{"type":"DERIVED_FROM","from":"mem0000003","to":"m00000001","weight":1.0}]}"#,
    ]
    /// m0 m1 m2 mem0 mem1 m3 mem2 mem3, by row.
    var vectors: [[Float]] = [[1, 0], [0.6, 0.8], [0, 1], [0.8, 0.6], [-1, 0], [0.28, 0.96], [0.96, 0.28], [0, -1]]
    /// (query, truth, truth after the forget)
    var queries: [(String, String, String)] = [
        (#"{"phase":"get","id":"m00000002"}"#, #"["m00000002"]"#, "[]"),
        (#"{"phase":"get","id":"e0000001"}"#, #"["e0000001"]"#, #"["e0000001"]"#),
        (#"{"phase":"get","id":"c000009"}"#, "[]", "[]"),
        (#"{"phase":"get","id":"mem0000002"}"#, #"["mem0000002"]"#, "[]"),
        (#"{"phase":"get","id":"mem0000003"}"#, #"["mem0000003"]"#, "[]"),
        (#"{"phase":"window","conversation":"c000000","limit":50}"#, #"["m00000001","m00000000"]"#, #"["m00000001","m00000000"]"#),
        (#"{"phase":"window","conversation":"c000001","limit":1}"#, #"["m00000003"]"#, "[]"),
        (#"{"phase":"timerange","ns":"ns0","from":1000,"to":3001,"limit":1000}"#, #"["m00000000","m00000001","m00000002"]"#, #"["m00000000","m00000001"]"#),
        (#"{"phase":"mentions_of_message","id":"m00000001"}"#, #"["e0000000","e0000001"]"#, #"["e0000000","e0000001"]"#),
        (#"{"phase":"mentions_of_message","id":"m00000003"}"#, #"["e0000001"]"#, "[]"),
        (#"{"phase":"messages_of_entity","id":"e0000001","limit":100}"#, #"["m00000003","m00000002","m00000001"]"#, #"["m00000001"]"#),
        (#"{"phase":"cooccur","id":"e0000001","limit":100}"#, #"["e0000000"]"#, #"["e0000000"]"#),
        (#"{"phase":"cooccur","id":"e0000000","limit":100}"#, #"["e0000001"]"#, #"["e0000001"]"#),
        (#"{"phase":"knn","ns":"ns0","qvec":0,"k":2}"#, #"["m00000000","mem0000002"]"#, #"["m00000000","mem0000000"]"#),
        (#"{"phase":"knn_conversation","ns":"ns0","conversation":"c000001","qvec":1,"k":2}"#, #"["m00000002","m00000003"]"#, "[]"),
        (#"{"phase":"knn_time","ns":"ns0","from":2000,"to":3601,"qvec":2,"k":2}"#, #"["mem0000000","m00000001"]"#, #"["mem0000000","m00000001"]"#),
        (#"{"phase":"knn_memory","ns":"ns0","memory_kind":"working","min_importance":0.5,"qvec":3,"k":2}"#, "[]", "[]"),
        (#"{"phase":"knn_memory","ns":"ns0","memory_kind":"episodic","min_importance":0.25,"qvec":4,"k":2}"#, #"["mem0000000"]"#, #"["mem0000000"]"#),
        (#"{"phase":"hybrid","ns":"ns0","qvec":5,"k":2,"hops":1}"#, #"["e0000001"]"#, #"["e0000000","e0000001"]"#),
    ]
    var queryVectors: [[Float]] = [[1, 0], [0, 1], [1, 0], [1, 0], [1, 0], [0, 1]]
    var forget = [#"{"kind":"conversation","id":"c000001"}"#, #"{"kind":"memory","id":"mem0000002"}"#]
    /// Replaces whole files' text after they are built (for malformed-file tests).
    var overrides: [String: Data] = [:]
    /// Changes to the manifest's JSON text (find, replace).
    var manifestEdits: [(String, String)] = []

    /// Writes the dataset into a fresh directory and returns its path.
    func write() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mw1-tiny-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files: [String: Data] = [
            "ingest.jsonl": Self.lines(ingest),
            "queries.jsonl": Self.lines(queries.map(\.0)),
            "truth.jsonl": Self.lines(queries.map(\.1)),
            "truth-after-forget.jsonl": Self.lines(queries.map(\.2)),
            "forget.jsonl": Self.lines(forget),
            "vectors.fvecs": Self.fvecs(vectors),
            "queries.fvecs": Self.fvecs(queryVectors),
        ]
        files.merge(overrides) { $1 }
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: directory + "/" + name)) }
        var counts: [String: Int] = [:]
        for query in queries {
            let phase = query.0.split(separator: "\"")[3]
            counts[String(phase), default: 0] += 1
        }
        let queryCounts = counts.sorted(by: <).map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        let fileEntries = files.sorted(by: { $0.key < $1.key })
            .map { "\"\($0.key)\":{\"bytes\":\($0.value.count),\"sha256\":\"\"}" }.joined(separator: ",")
        var manifest = """
            {"format":"MW1","generator_version":"1","numpy":"none","seed":1,"messages":4,"dim":2,"metric":"cosine",\
            "now_ms":10000,"k":2,"counts":{"transactions":8,"conversations":2,"topics":1,"messages":4,"entities":2,\
            "memories":4,"mentions":5,"replies":2,"vectors":8,"query_vectors":6,"expired_memories":2},\
            "queries":{\(queryCounts)},"forget":{"conversations":1,"memories":1},"files":{\(fileEntries)}}
            """
        for (find, replace) in manifestEdits { manifest = manifest.replacingOccurrences(of: find, with: replace) }
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        return directory
    }

    static func lines(_ lines: [String]) -> Data {
        Data(lines.map { $0 + "\n" }.joined().utf8)
    }

    static func fvecs(_ rows: [[Float]], dim: Int32? = nil) -> Data {
        var data = Data()
        for row in rows {
            withUnsafeBytes(of: (dim ?? Int32(row.count)).littleEndian) { data.append(contentsOf: $0) }
            for value in row { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }
}
