import BenchCore
import MW1Core

/// MW1 on SQLite, as a Swift developer would write it through the C API: the tables and indexes
/// of `SQLiteMW1Schema`, WAL mode, `synchronous=NORMAL`, foreign keys on with `ON DELETE
/// CASCADE`, one prepared statement per operation, reused.
///
/// Durability: a commit is written to the WAL without fsync; `flushDurable()` (every 1,000th
/// transaction) runs `PRAGMA wal_checkpoint(FULL)`, which fsyncs the WAL, copies it into the
/// database file and fsyncs that. A power loss can lose the commits since the last durable point,
/// never corrupt the database. The page cache is SQLite's default.
///
/// The vector phases are an exact scan (Debian's SQLite has no vector index), each query
/// selecting the candidates' Float32 BLOBs with its filter in SQL; `vectorSearch` says where the
/// distances are taken: in Swift (`"sqlite"`, in Double, ties by id, recall 1.0 by construction)
/// or by sqlite-vec's `vec_distance_cosine` in SQL (`"sqlite-vec"`, in Float32).
public final class SQLiteMW1Store: MW1Store {
    /// `"sqlite"`, or `"sqlite-vec"` when the vector phases go through sqlite-vec.
    public let name: String
    /// Every query phase (the vector ones by exact scan).
    public let supportedPhases = Set(MW1Phase.queryPhases)
    /// The database file.
    public let path: String
    /// How the vector phases are answered.
    public let vectorSearch: SQLiteMW1VectorSearch
    /// `vec_version()` once sqlite-vec is loaded, else nil.
    public private(set) var sqliteVecVersion: String?
    let directory: String
    private var connection: SQLiteConnection?
    private var prepared = [SQLiteStatement?](repeating: nil, count: SQLiteMW1Statement.allCases.count)

    /// Opens (creating if needed) `directory/mw1.sqlite`; the directory must exist.
    ///
    /// - Throws: `SQLiteVecUnavailable` when `vectorSearch` is `.sqliteVec` and the extension
    ///   does not load.
    public init(directory: String, vectorSearch: SQLiteMW1VectorSearch = .swiftScan) throws {
        self.directory = directory
        self.vectorSearch = vectorSearch
        name = vectorSearch.storeName
        path = directory + "/mw1.sqlite"
        try open()
    }

    deinit { try? close() }

    private func open() throws {
        let connection = try SQLiteConnection(path: path)
        if case .sqliteVec(let extensionPath) = vectorSearch {
            do {
                try connection.loadExtension(extensionPath)
                sqliteVecVersion = try connection.scalar("SELECT vec_version()")
            } catch {
                try? connection.close()
                let reason = (error as? MW1StoreError).map { "\($0)" } ?? "\(error)"
                throw SQLiteVecUnavailable(extensionPath: extensionPath, reason: reason)
            }
        }
        self.connection = connection
        try connection.exec(SQLiteMW1Schema.pragmas)
        try connection.exec(SQLiteMW1Schema.tables)
    }

    /// The prepared statement, prepared on first use and reused after.
    func statement(_ which: SQLiteMW1Statement) throws -> SQLiteStatement {
        if let statement = prepared[which.rawValue] { return statement }
        guard let connection else { throw MW1StoreError.failed(store: name, operation: which.sql, message: "the store is closed") }
        let statement = try connection.prepare(which.sql)
        prepared[which.rawValue] = statement
        return statement
    }

    /// One transaction: `BEGIN`, the nodes, the edges, the embedding, `COMMIT` (`ROLLBACK` on error).
    public func ingest(_ transaction: MW1Transaction) throws {
        try statement(.begin).run()
        do {
            let insertNode = try statement(.insertNode)
            for node in transaction.nodes {
                bind(node, to: insertNode)
                try insertNode.run()
            }
            let insertEdge = try statement(.insertEdge)
            for edge in transaction.edges {
                insertEdge.bind(1, edge.from)
                insertEdge.bind(2, edge.type.rawValue)
                insertEdge.bind(3, edge.to)
                insertEdge.bind(4, edge.weight)
                try insertEdge.run()
            }
            if let embedding = transaction.embedding {
                let insert = try statement(.insertEmbedding)
                insert.bind(1, embedding.owner)
                insert.bind(2, embedding.vector.count)
                insert.bind(3, floats: embedding.vector)
                try insert.run()
            }
            try statement(.commit).run()
        } catch {
            try? statement(.rollback).run()
            throw error
        }
    }

    private func bind(_ node: MW1Node, to s: SQLiteStatement) {
        s.bind(1, node.id)
        s.bind(2, node.kind.rawValue)
        s.bind(3, node.namespace)
        s.bind(4, node.ts)
        switch node {
        case .conversation(let c):
            s.bind(7, c.title)
        case .message(let m):
            s.bind(5, m.conversation)
            s.bind(6, m.role.rawValue)
            s.bind(8, m.text)
            s.bind(9, m.tokens)
        case .entity(let e):
            s.bind(10, e.type.rawValue)
            s.bind(11, e.name)
        case .memory(let m):
            s.bind(8, m.text)
            s.bind(9, m.tokens)
            s.bind(12, m.memoryKind.rawValue)
            s.bind(13, m.importance)
            s.bind(14, m.expiresAt)
            s.bind(15, m.source)
        }
    }

    /// `PRAGMA wal_checkpoint(FULL)`: everything committed so far is on disk.
    public func flushDurable() throws {
        let checkpoint = try statement(.checkpoint)
        defer { checkpoint.reset() }
        while try checkpoint.step() {}
    }

    /// The whole row, typed back into the node it was ingested as.
    public func get(id: String) throws -> MW1Node? {
        let s = try statement(.selectNode)
        defer { s.reset() }
        s.bind(1, id)
        guard try s.step() else { return nil }
        let bad = MW1StoreError.failed(store: name, operation: "get \(id)", message: "a stored field does not decode")
        guard let kind = s.string(0).flatMap(MW1Node.Kind.init(rawValue:)), let ns = s.string(1) else { throw bad }
        switch kind {
        case .conversation:
            guard let title = s.string(5), let ts = s.int64(2) else { throw bad }
            return .conversation(.init(id: id, namespace: ns, title: title, ts: ts))
        case .message:
            guard let conversation = s.string(3), let role = s.string(4).flatMap(MW1Node.Role.init(rawValue:)),
                let ts = s.int64(2), let text = s.string(6), let tokens = s.int64(7)
            else { throw bad }
            return .message(.init(
                id: id, namespace: ns, conversation: conversation, role: role, ts: ts, text: text, tokens: Int(tokens)))
        case .entity:
            guard let type = s.string(8).flatMap(MW1Node.EntityType.init(rawValue:)), let name = s.string(9) else { throw bad }
            return .entity(.init(id: id, namespace: ns, type: type, name: name))
        case .memory:
            guard let memoryKind = s.string(10).flatMap(MW1Node.MemoryKind.init(rawValue:)), let importance = s.double(11),
                let ts = s.int64(2), let text = s.string(6), let tokens = s.int64(7), let source = s.string(13)
            else { throw bad }
            return .memory(.init(
                id: id, namespace: ns, memoryKind: memoryKind, importance: importance, ts: ts, expiresAt: s.int64(12),
                text: text, tokens: Int(tokens), source: source))
        }
    }

    public func window(conversation: String, limit: Int) throws -> [String] {
        let s = try statement(.window)
        s.bind(1, conversation)
        s.bind(2, limit)
        return try s.ids()
    }

    public func timerange(namespace: String, from: Int64, to: Int64, limit: Int) throws -> [String] {
        let s = try statement(.timerange)
        s.bind(1, namespace)
        s.bind(2, from)
        s.bind(3, to)
        s.bind(4, limit)
        return try s.ids()
    }

    public func mentionsOfMessage(id: String) throws -> [String] {
        let s = try statement(.mentionsOfMessage)
        s.bind(1, id)
        return try s.ids()
    }

    public func messagesOfEntity(id: String, limit: Int) throws -> [String] {
        let s = try statement(.messagesOfEntity)
        s.bind(1, id)
        s.bind(2, limit)
        return try s.ids()
    }

    public func cooccur(id: String, limit: Int) throws -> [String] {
        let s = try statement(.cooccur)
        s.bind(1, id)
        s.bind(2, limit)
        return try s.ids()
    }

    /// `DELETE FROM nodes WHERE id = ? AND kind = ?`; the cascades remove the rest.
    public func forget(kind: MW1ForgetItem.Kind, id: String) throws {
        let s = try statement(.forget)
        s.bind(1, id)
        s.bind(2, kind.rawValue)
        try s.run()
    }

    /// `DELETE FROM nodes WHERE kind = 'memory' AND expires_at <= ?`, cascading to their edges
    /// and embeddings.
    public func expire(nowMs: Int64) throws -> Int {
        let s = try statement(.expire)
        s.bind(1, nowMs)
        try s.run()
        return connection?.changes ?? 0
    }

    public func close() throws {
        for statement in prepared { statement?.finalize() }
        prepared = prepared.map { _ in nil }
        try connection?.close()
        connection = nil
    }

    public func reopen() throws {
        precondition(connection == nil, "reopen of an open store")
        try open()
    }

    public func bytesOnDisk() throws -> UInt64 {
        try DiskUsage.bytesOnDisk(directory)
    }
}
