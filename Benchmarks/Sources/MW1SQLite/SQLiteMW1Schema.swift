/// The SQL of the SQLite driver: MEMORY-WORKLOAD.md's peer notes (tables for nodes, edges and
/// embeddings; indexes on (conversation, ts), (ns, ts), edges (from, type) and (to, type);
/// `ON DELETE CASCADE`), as a Swift developer would write them.
enum SQLiteMW1Schema {
    /// Run on every open: WAL, `synchronous=NORMAL` (commits reach the WAL unsynced; the WAL is
    /// fsynced at each checkpoint), foreign keys enforced (they are off by default, per connection).
    static let pragmas = """
        PRAGMA journal_mode=WAL;
        PRAGMA synchronous=NORMAL;
        PRAGMA foreign_keys=ON;
        """

    /// One table per concept. `nodes.rid` is the rowid (an alias), so the embeddings join is a
    /// rowid lookup; `nodes.id` is the dataset's id, unique, and what edges refer to. A message
    /// refers to its conversation and a memory to its source message with `ON DELETE CASCADE`,
    /// and edges and embeddings to their nodes, so deleting a conversation deletes its messages,
    /// their edges both ways, their embeddings and the memories derived from them (and theirs).
    static let tables = """
        CREATE TABLE IF NOT EXISTS nodes(
            rid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            ns TEXT NOT NULL,
            ts INTEGER,
            conversation TEXT REFERENCES nodes(id) ON DELETE CASCADE,
            role TEXT,
            title TEXT,
            text TEXT,
            tokens INTEGER,
            etype TEXT,
            name TEXT,
            memory_kind TEXT,
            importance REAL,
            expires_at INTEGER,
            source TEXT REFERENCES nodes(id) ON DELETE CASCADE
        );
        CREATE INDEX IF NOT EXISTS nodes_conversation_ts ON nodes(conversation, ts) WHERE conversation IS NOT NULL;
        CREATE INDEX IF NOT EXISTS nodes_ns_kind_ts ON nodes(ns, kind, ts);
        CREATE INDEX IF NOT EXISTS nodes_memories ON nodes(ns, memory_kind, importance) WHERE kind = 'memory';
        CREATE INDEX IF NOT EXISTS nodes_expiry ON nodes(expires_at) WHERE expires_at IS NOT NULL;
        CREATE INDEX IF NOT EXISTS nodes_source ON nodes(source) WHERE source IS NOT NULL;
        CREATE TABLE IF NOT EXISTS edges(
            src TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            dst TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
            weight REAL NOT NULL,
            PRIMARY KEY(src, type, dst)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS edges_dst_type ON edges(dst, type, src);
        CREATE TABLE IF NOT EXISTS embeddings(
            node INTEGER PRIMARY KEY REFERENCES nodes(rid) ON DELETE CASCADE,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL
        );
        """

    static let insertNode = """
        INSERT INTO nodes(id, kind, ns, ts, conversation, role, title, text, tokens, etype, name,
                          memory_kind, importance, expires_at, source)
        VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
        """
    static let insertEdge = "INSERT INTO edges(src, type, dst, weight) VALUES(?1, ?2, ?3, ?4)"
    static let insertEmbedding = "INSERT INTO embeddings(node, dim, vector) SELECT rid, ?2, ?3 FROM nodes WHERE id = ?1"
    static let selectNode = """
        SELECT kind, ns, ts, conversation, role, title, text, tokens, etype, name, memory_kind,
               importance, expires_at, source
        FROM nodes WHERE id = ?1
        """
    static let window = "SELECT id FROM nodes WHERE conversation = ?1 ORDER BY ts DESC LIMIT ?2"
    static let timerange = """
        SELECT id FROM nodes WHERE ns = ?1 AND kind = 'message' AND ts >= ?2 AND ts < ?3 ORDER BY ts LIMIT ?4
        """
    static let mentionsOfMessage = "SELECT dst FROM edges WHERE src = ?1 AND type = 'MENTIONS' ORDER BY dst"
    static let messagesOfEntity = """
        SELECT e.src FROM edges e JOIN nodes n ON n.id = e.src
        WHERE e.dst = ?1 AND e.type = 'MENTIONS' ORDER BY n.ts DESC LIMIT ?2
        """
    static let cooccur = """
        SELECT m.dst FROM (
            SELECT e.src AS src FROM edges e JOIN nodes n ON n.id = e.src
            WHERE e.dst = ?1 AND e.type = 'MENTIONS' ORDER BY n.ts DESC LIMIT ?2
        ) AS r JOIN edges m ON m.src = r.src AND m.type = 'MENTIONS'
        WHERE m.dst <> ?1 GROUP BY m.dst ORDER BY COUNT(*) DESC, m.dst
        """
    /// The vector phases scanned in Swift: the stored Float32 BLOBs with their ids, the filter in SQL.
    static let knn = """
        SELECT e.vector, n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind IN ('message', 'memory')
        """
    static let knnMessages = """
        SELECT e.vector, n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind = 'message'
        """
    static let knnConversation = """
        SELECT e.vector, n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.conversation = ?1 AND n.ns = ?2
        """
    static let knnTime = """
        SELECT e.vector, n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind IN ('message', 'memory') AND n.ts >= ?2 AND n.ts < ?3
        """
    static let knnMemory = """
        SELECT e.vector, n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind = 'memory' AND n.memory_kind = ?2 AND n.importance >= ?3
          AND (n.expires_at IS NULL OR n.expires_at > ?4)
        """
    /// The vector phases through sqlite-vec: the same filters, the distance in SQL
    /// (`vec_distance_cosine` reads the Float32 BLOB as it is stored), ties by id, the limit in
    /// SQL. The query vector and k take the two parameters after the filter's.
    static let vecKnn = """
        SELECT n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind IN ('message', 'memory')
        ORDER BY vec_distance_cosine(e.vector, ?2), n.id LIMIT ?3
        """
    static let vecKnnMessages = """
        SELECT n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind = 'message'
        ORDER BY vec_distance_cosine(e.vector, ?2), n.id LIMIT ?3
        """
    static let vecKnnConversation = """
        SELECT n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.conversation = ?1 AND n.ns = ?2
        ORDER BY vec_distance_cosine(e.vector, ?3), n.id LIMIT ?4
        """
    static let vecKnnTime = """
        SELECT n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind IN ('message', 'memory') AND n.ts >= ?2 AND n.ts < ?3
        ORDER BY vec_distance_cosine(e.vector, ?4), n.id LIMIT ?5
        """
    static let vecKnnMemory = """
        SELECT n.id FROM nodes n JOIN embeddings e ON e.node = n.rid
        WHERE n.ns = ?1 AND n.kind = 'memory' AND n.memory_kind = ?2 AND n.importance >= ?3
          AND (n.expires_at IS NULL OR n.expires_at > ?4)
        ORDER BY vec_distance_cosine(e.vector, ?5), n.id LIMIT ?6
        """
    static let forget = "DELETE FROM nodes WHERE id = ?1 AND kind = ?2"
    static let expire = "DELETE FROM nodes WHERE kind = 'memory' AND expires_at <= ?1"
    /// Fsyncs the WAL, copies it into the database file and fsyncs that (synchronous=NORMAL).
    static let checkpoint = "PRAGMA wal_checkpoint(FULL)"
}
