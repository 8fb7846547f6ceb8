import MW1Core

/// The vector phases on SQLite: an exact scan of the stored Float32 BLOBs, the filter in SQL, the
/// distances in Swift or through sqlite-vec as `vectorSearch` says.
extension SQLiteMW1Store {
    /// The `k` rows nearest `query` among those a filter selects. `swiftScan` and `sqliteVec` are
    /// the two forms of one query (the first returns (vector, id) rows, the second ids ordered by
    /// `vec_distance_cosine` and limited, taking the vector and k after the filter's parameters);
    /// `bind` binds the filter's parameters and returns the first free index.
    private func nearest(
        swiftScan: SQLiteMW1Statement, sqliteVec: SQLiteMW1Statement, query: ArraySlice<Float>, k: Int,
        bind: (SQLiteStatement) -> Int32
    ) throws -> [String] {
        switch vectorSearch {
        case .swiftScan:
            let s = try statement(swiftScan)
            _ = bind(s)
            return try scan(s, query: query, k: k)
        case .sqliteVec:
            let s = try statement(sqliteVec)
            let next = bind(s)
            s.bind(next, floats: query)
            s.bind(next + 1, k)
            return try s.ids()
        }
    }

    /// Steps `s` (columns: vector BLOB, id) and keeps the `k` best by dot product with `query`.
    private func scan(_ s: SQLiteStatement, query: ArraySlice<Float>, k: Int) throws -> [String] {
        defer { s.reset() }
        var top = ExactTopK(k: k)
        try query.withUnsafeBufferPointer { q in
            while try s.step() {
                let blob = s.blob(0)
                guard blob.count == q.count * 4 else {
                    throw MW1StoreError.failed(store: name, operation: "knn", message: "a stored vector has \(blob.count) bytes, expected \(q.count * 4)")
                }
                var score = 0.0
                for i in 0..<q.count {
                    score += Double(blob.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)) * Double(q[i])
                }
                if top.admits(score), let id = s.string(1) { top.offer(score: score, id: id) }
            }
        }
        return top.ids
    }

    public func knn(namespace: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try nearest(swiftScan: .knn, sqliteVec: .vecKnn, query: vector, k: k) { s in
            s.bind(1, namespace)
            return 2
        }
    }

    public func knnConversation(namespace: String, conversation: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try nearest(swiftScan: .knnConversation, sqliteVec: .vecKnnConversation, query: vector, k: k) { s in
            s.bind(1, conversation)
            s.bind(2, namespace)
            return 3
        }
    }

    public func knnTime(namespace: String, from: Int64, to: Int64, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try nearest(swiftScan: .knnTime, sqliteVec: .vecKnnTime, query: vector, k: k) { s in
            s.bind(1, namespace)
            s.bind(2, from)
            s.bind(3, to)
            return 4
        }
    }

    public func knnMemory(
        namespace: String, memoryKind: MW1Node.MemoryKind, minImportance: Double, nowMs: Int64,
        vector: ArraySlice<Float>, k: Int
    ) throws -> [String] {
        try nearest(swiftScan: .knnMemory, sqliteVec: .vecKnnMemory, query: vector, k: k) { s in
            s.bind(1, namespace)
            s.bind(2, memoryKind.rawValue)
            s.bind(3, minImportance)
            s.bind(4, nowMs)
            return 5
        }
    }

    /// The `k` nearest messages, then the entities they mention, by count desc then id.
    public func hybrid(namespace: String, vector: ArraySlice<Float>, k: Int, hops: Int) throws -> [String] {
        let messages = try nearest(swiftScan: .knnMessages, sqliteVec: .vecKnnMessages, query: vector, k: k) { s in
            s.bind(1, namespace)
            return 2
        }
        var counts: [String: Int] = [:]
        for message in messages {
            for entity in try mentionsOfMessage(id: message) { counts[entity, default: 0] += 1 }
        }
        return counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)) }
            .map(\.key)
    }
}
