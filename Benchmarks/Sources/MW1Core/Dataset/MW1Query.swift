/// One line of `queries.jsonl`, typed. Vector queries carry their query vector (a row of
/// `queries.fvecs`) already resolved.
public enum MW1Query: Sendable {
    /// `get`: the record with this id, if any.
    case get(id: String)
    /// `window`: the conversation's last `limit` messages, newest first.
    case window(conversation: String, limit: Int)
    /// `timerange`: the namespace's messages with `from <= ts < to`, oldest first, at most `limit`.
    case timerange(namespace: String, from: Int64, to: Int64, limit: Int)
    /// `mentions_of_message`: the entities the message mentions, by id.
    case mentionsOfMessage(id: String)
    /// `messages_of_entity`: the messages that mention the entity, newest first, at most `limit`.
    case messagesOfEntity(id: String, limit: Int)
    /// `cooccur`: entities co-mentioned with the entity in its newest `limit` messages.
    case cooccur(id: String, limit: Int)
    /// `knn`: the namespace's messages and memories nearest `vector`.
    case knn(namespace: String, vector: ArraySlice<Float>, k: Int)
    /// `knn_conversation`: the conversation's messages nearest `vector`.
    case knnConversation(namespace: String, conversation: String, vector: ArraySlice<Float>, k: Int)
    /// `knn_time`: the namespace's messages and memories with `from <= ts < to` nearest `vector`.
    case knnTime(namespace: String, from: Int64, to: Int64, vector: ArraySlice<Float>, k: Int)
    /// `knn_memory`: the namespace's memories of `memoryKind` with importance at least
    /// `minImportance` and not expired at `nowMs`, nearest `vector`.
    case knnMemory(
        namespace: String, memoryKind: MW1Node.MemoryKind, minImportance: Double, nowMs: Int64,
        vector: ArraySlice<Float>, k: Int)
    /// `hybrid`: the `k` messages nearest `vector`, then the entities they mention, by count
    /// desc then id (`hops` is 1).
    case hybrid(namespace: String, vector: ArraySlice<Float>, k: Int, hops: Int)

    /// The phase the query belongs to.
    public var phase: MW1Phase {
        switch self {
        case .get: .get
        case .window: .window
        case .timerange: .timerange
        case .mentionsOfMessage: .mentionsOfMessage
        case .messagesOfEntity: .messagesOfEntity
        case .cooccur: .cooccur
        case .knn: .knn
        case .knnConversation: .knnConversation
        case .knnTime: .knnTime
        case .knnMemory: .knnMemory
        case .hybrid: .hybrid
        }
    }
}
