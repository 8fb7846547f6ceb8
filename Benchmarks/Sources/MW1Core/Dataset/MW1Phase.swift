/// The phases of an MW1 run, in the order the runner runs them and prints their lines.
public enum MW1Phase: String, Sendable, CaseIterable {
    /// Every transaction of `ingest.jsonl`, one commit each, durable every 1,000.
    case ingest
    /// Read one record by id.
    case get
    /// A conversation's last `limit` messages, newest first.
    case window
    /// A namespace's messages in a half-open time range, oldest first.
    case timerange
    /// The entities a message mentions, by id.
    case mentionsOfMessage = "mentions_of_message"
    /// The messages that mention an entity, newest first.
    case messagesOfEntity = "messages_of_entity"
    /// Entities co-mentioned with an entity in its newest messages, by count desc then id.
    case cooccur
    /// Nearest messages and memories of a namespace.
    case knn
    /// Nearest messages of a conversation.
    case knnConversation = "knn_conversation"
    /// Nearest messages and memories of a namespace in a time range.
    case knnTime = "knn_time"
    /// Nearest unexpired memories of a kind with a minimum importance.
    case knnMemory = "knn_memory"
    /// Nearest messages, then the entities they mention.
    case hybrid
    /// Every line of `forget.jsonl`.
    case forget
    /// The expiry sweep at `now_ms`.
    case expire
    /// Every query again, against `truth-after-forget.jsonl`.
    case recheck
    /// Close, open again, and the first `window` query.
    case reopen

    /// The phases that read, in file order: the `"phase"` values of `queries.jsonl`.
    public static let queryPhases: [MW1Phase] = [
        .get, .window, .timerange, .mentionsOfMessage, .messagesOfEntity, .cooccur,
        .knn, .knnConversation, .knnTime, .knnMemory, .hybrid,
    ]

    /// Whether answers are scored by recall@k (an approximate index is allowed) rather than
    /// compared exactly.
    public var isVector: Bool {
        switch self {
        case .knn, .knnConversation, .knnTime, .knnMemory, .hybrid: true
        default: false
        }
    }
}
