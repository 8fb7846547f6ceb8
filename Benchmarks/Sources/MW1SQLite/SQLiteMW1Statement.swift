/// The driver's statements, each prepared once per connection (on first use) and reused.
enum SQLiteMW1Statement: Int, CaseIterable {
    case begin, commit, rollback, insertNode, insertEdge, insertEmbedding, selectNode, window, timerange
    case mentionsOfMessage, messagesOfEntity, cooccur, knn, knnMessages, knnConversation, knnTime, knnMemory
    case forget, expire, checkpoint
    case vecKnn, vecKnnMessages, vecKnnConversation, vecKnnTime, vecKnnMemory

    var sql: String {
        switch self {
        case .begin: "BEGIN"
        case .commit: "COMMIT"
        case .rollback: "ROLLBACK"
        case .insertNode: SQLiteMW1Schema.insertNode
        case .insertEdge: SQLiteMW1Schema.insertEdge
        case .insertEmbedding: SQLiteMW1Schema.insertEmbedding
        case .selectNode: SQLiteMW1Schema.selectNode
        case .window: SQLiteMW1Schema.window
        case .timerange: SQLiteMW1Schema.timerange
        case .mentionsOfMessage: SQLiteMW1Schema.mentionsOfMessage
        case .messagesOfEntity: SQLiteMW1Schema.messagesOfEntity
        case .cooccur: SQLiteMW1Schema.cooccur
        case .knn: SQLiteMW1Schema.knn
        case .knnMessages: SQLiteMW1Schema.knnMessages
        case .knnConversation: SQLiteMW1Schema.knnConversation
        case .knnTime: SQLiteMW1Schema.knnTime
        case .knnMemory: SQLiteMW1Schema.knnMemory
        case .forget: SQLiteMW1Schema.forget
        case .expire: SQLiteMW1Schema.expire
        case .checkpoint: SQLiteMW1Schema.checkpoint
        case .vecKnn: SQLiteMW1Schema.vecKnn
        case .vecKnnMessages: SQLiteMW1Schema.vecKnnMessages
        case .vecKnnConversation: SQLiteMW1Schema.vecKnnConversation
        case .vecKnnTime: SQLiteMW1Schema.vecKnnTime
        case .vecKnnMemory: SQLiteMW1Schema.vecKnnMemory
        }
    }
}
