/// The JSON shapes of the dataset's lines, decoded as they are before the loader checks and types
/// them (`IngestDecoder`, `QueryDecoder`).
struct RawTransaction: Decodable {
    var tx: Int
    var nodes: [RawNode]
    var edges: [RawEdge]
}

/// Every field any node kind has; which are required depends on `kind`.
struct RawNode: Decodable {
    var id: String
    var kind: String
    var ns: String
    var title: String?
    var ts: Int64?
    var conversation: String?
    var role: String?
    var text: String?
    var tokens: Int?
    var vec: Int?
    var type: String?
    var name: String?
    var memoryKind: String?
    var importance: Double?
    var expiresAt: Int64?
    var source: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, ns, title, ts, conversation, role, text, tokens, vec, type, name, importance, source
        case memoryKind = "memory_kind"
        case expiresAt = "expires_at"
    }
}

struct RawEdge: Decodable {
    var type: String
    var from: String
    var to: String
    var weight: Double
}

/// Every argument any phase has; which are required depends on `phase`.
struct RawQuery: Decodable {
    var phase: String
    var id: String?
    var conversation: String?
    var ns: String?
    var from: Int64?
    var to: Int64?
    var limit: Int?
    var qvec: Int?
    var k: Int?
    var memoryKind: String?
    var minImportance: Double?
    var hops: Int?

    enum CodingKeys: String, CodingKey {
        case phase, id, conversation, ns, from, to, limit, qvec, k, hops
        case memoryKind = "memory_kind"
        case minImportance = "min_importance"
    }
}

struct RawForget: Decodable {
    var kind: String
    var id: String
}
