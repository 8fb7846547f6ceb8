import MW1Core

/// The vector phases on SQLite: an exact scan over the stored Float32 BLOBs, the filter in SQL.
extension SQLiteMW1Store {
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
        let s = try statement(.knn)
        s.bind(1, namespace)
        return try scan(s, query: vector, k: k)
    }

    public func knnConversation(namespace: String, conversation: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        let s = try statement(.knnConversation)
        s.bind(1, conversation)
        s.bind(2, namespace)
        return try scan(s, query: vector, k: k)
    }

    public func knnTime(namespace: String, from: Int64, to: Int64, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        let s = try statement(.knnTime)
        s.bind(1, namespace)
        s.bind(2, from)
        s.bind(3, to)
        return try scan(s, query: vector, k: k)
    }

    public func knnMemory(
        namespace: String, memoryKind: MW1Node.MemoryKind, minImportance: Double, nowMs: Int64,
        vector: ArraySlice<Float>, k: Int
    ) throws -> [String] {
        let s = try statement(.knnMemory)
        s.bind(1, namespace)
        s.bind(2, memoryKind.rawValue)
        s.bind(3, minImportance)
        s.bind(4, nowMs)
        return try scan(s, query: vector, k: k)
    }

    /// The `k` nearest messages, then the entities they mention, by count desc then id.
    public func hybrid(namespace: String, vector: ArraySlice<Float>, k: Int, hops: Int) throws -> [String] {
        let s = try statement(.knnMessages)
        s.bind(1, namespace)
        let messages = try scan(s, query: vector, k: k)
        var counts: [String: Int] = [:]
        for message in messages {
            for entity in try mentionsOfMessage(id: message) { counts[entity, default: 0] += 1 }
        }
        return counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.utf8.lexicographicallyPrecedes($1.key.utf8)) }
            .map(\.key)
    }
}
