/// Types and checks the lines of `queries.jsonl`: each phase's arguments present and of the
/// right kind, the conversation, message or entity a query is about ingested, the query vector a
/// row of `queries.fvecs`.
struct QueryDecoder {
    static let file = "queries.jsonl"
    /// The rows of `queries.fvecs`, row-major.
    let queryVectors: [Float]
    let dim: Int
    let nowMs: Int64
    /// Every ingested node, by id; nil to leave the references unchecked.
    let nodes: [String: MW1Node]?

    /// The typed query of line `line` (1-based).
    func decode(_ q: RawQuery, line: Int) throws(MW1DatasetError) -> MW1Query {
        func invalid(_ reason: String) -> MW1DatasetError {
            .invalid(file: Self.file, line: line, reason: "\(q.phase): \(reason)")
        }
        func need<T>(_ value: T?, _ field: String) throws(MW1DatasetError) -> T {
            guard let value else { throw invalid("missing argument \(field)") }
            return value
        }
        func positive(_ value: Int?, _ field: String) throws(MW1DatasetError) -> Int {
            let v = try need(value, field)
            guard v > 0 else { throw invalid("\(field) is \(v), must be positive") }
            return v
        }
        func node(_ id: String?, _ field: String, _ kind: MW1Node.Kind) throws(MW1DatasetError) -> String {
            let id = try need(id, field)
            guard let nodes else { return id }
            guard nodes[id]?.kind == kind else { throw invalid("\(field) \(id) is not an ingested \(kind.rawValue)") }
            return id
        }
        func vector() throws(MW1DatasetError) -> ArraySlice<Float> {
            let row = try need(q.qvec, "qvec")
            guard row >= 0 && (row + 1) * dim <= queryVectors.count else {
                throw invalid("qvec \(row) is not one of the \(queryVectors.count / dim) rows of queries.fvecs")
            }
            return queryVectors[(row * dim)..<((row + 1) * dim)]
        }
        func range() throws(MW1DatasetError) -> (Int64, Int64) {
            let (from, to) = (try need(q.from, "from"), try need(q.to, "to"))
            guard from <= to else { throw invalid("from \(from) is after to \(to)") }
            return (from, to)
        }
        guard let phase = MW1Phase(rawValue: q.phase), MW1Phase.queryPhases.contains(phase) else {
            throw .invalid(file: Self.file, line: line, reason: "unknown phase \"\(q.phase)\"")
        }
        switch phase {
        case .get:
            let id = try need(q.id, "id")
            guard !id.isEmpty else { throw invalid("empty id") }
            return .get(id: id)
        case .window:
            return .window(conversation: try node(q.conversation, "conversation", .conversation), limit: try positive(q.limit, "limit"))
        case .timerange:
            let (from, to) = try range()
            return .timerange(namespace: try need(q.ns, "ns"), from: from, to: to, limit: try positive(q.limit, "limit"))
        case .mentionsOfMessage:
            return .mentionsOfMessage(id: try node(q.id, "id", .message))
        case .messagesOfEntity:
            return .messagesOfEntity(id: try node(q.id, "id", .entity), limit: try positive(q.limit, "limit"))
        case .cooccur:
            return .cooccur(id: try node(q.id, "id", .entity), limit: try positive(q.limit, "limit"))
        case .knn:
            return .knn(namespace: try need(q.ns, "ns"), vector: try vector(), k: try positive(q.k, "k"))
        case .knnConversation:
            return .knnConversation(
                namespace: try need(q.ns, "ns"), conversation: try node(q.conversation, "conversation", .conversation),
                vector: try vector(), k: try positive(q.k, "k"))
        case .knnTime:
            let (from, to) = try range()
            return .knnTime(namespace: try need(q.ns, "ns"), from: from, to: to, vector: try vector(), k: try positive(q.k, "k"))
        case .knnMemory:
            let kindName = try need(q.memoryKind, "memory_kind")
            guard let kind = MW1Node.MemoryKind(rawValue: kindName) else { throw invalid("unknown memory_kind \"\(kindName)\"") }
            return .knnMemory(
                namespace: try need(q.ns, "ns"), memoryKind: kind, minImportance: try need(q.minImportance, "min_importance"),
                nowMs: nowMs, vector: try vector(), k: try positive(q.k, "k"))
        case .hybrid:
            let hops = try positive(q.hops, "hops")
            guard hops == 1 else { throw invalid("hops is \(hops); MW1 defines 1") }
            return .hybrid(namespace: try need(q.ns, "ns"), vector: try vector(), k: try positive(q.k, "k"), hops: hops)
        default:
            throw invalid("not a query phase")
        }
    }
}
