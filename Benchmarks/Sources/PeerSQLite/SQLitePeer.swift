import BenchCore
import CSQLite
import Synchronization

/// SQLite through `sqlite3.h` with prepared statements, configured as
/// WORKLOADS.md's peer table says: `journal_mode=WAL`, table
/// `kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID`, default page cache.
/// Batches are `BEGIN; INSERT OR REPLACE ×1000; COMMIT` under
/// `synchronous=NORMAL`; a durable batch runs under `synchronous=FULL`, as
/// does the whole connection for `open` and `syncwrite`. Each get is an
/// autocommit `SELECT v FROM kv WHERE k=?1`; a scan is one `SELECT k, v FROM
/// kv ORDER BY k`.
public final class SQLitePeer: KVPeer, @unchecked Sendable {
    // @unchecked because every use of the connection is either on one thread
    // at a time or, for `write` (called concurrently by the commit runner),
    // under `writeLock`: one connection cannot interleave transactions.
    public let name = "sqlite"
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    private var select: OpaquePointer?
    private var begin: OpaquePointer?
    private var commit: OpaquePointer?
    private var durableConnection = false
    private let writeLock = Mutex(())

    /// A closed peer.
    public init() {}

    deinit { try? close() }

    public func open(directory: String, options: PeerOpenOptions) throws {
        precondition(db == nil, "already open")
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let rc = sqlite3_open_v2(directory + "/kv.sqlite", &db, flags, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
            sqlite3_close(db)
            db = nil
            throw PeerError(peer: name, operation: "sqlite3_open_v2", message: message)
        }
        durableConnection = options.durable
        do {
            try exec("PRAGMA journal_mode=WAL")
            try exec(durableConnection ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")
            if let memory = options.memory {
                // The scale workload's budget: the page cache (a negative size is in KiB).
                try exec("PRAGMA cache_size=-\(memory.cacheBytes / 1024)")
            }
            try exec("CREATE TABLE IF NOT EXISTS kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID")
            insert = try prepare("INSERT OR REPLACE INTO kv(k, v) VALUES(?1, ?2)")
            select = try prepare("SELECT v FROM kv WHERE k=?1")
            begin = try prepare("BEGIN")
            commit = try prepare("COMMIT")
        } catch {
            try? close()
            throw error
        }
    }

    public func write(_ batch: borrowing WriteBatch, durable: Bool) throws {
        try writeLock.withLock { _ in
            let switchSync = durable && !durableConnection
            if switchSync { try exec("PRAGMA synchronous=FULL") }
            try step(begin, "BEGIN")
            do {
                try batch.forEach { key, value in
                    defer { sqlite3_reset(insert) }
                    sqlite3_bind_blob(insert, 1, key.baseAddress, Int32(key.count), nil)
                    sqlite3_bind_blob(insert, 2, value.baseAddress, Int32(value.count), nil)
                    try step(insert, "INSERT OR REPLACE")
                }
                try step(commit, "COMMIT")
            } catch {
                try? exec("ROLLBACK")
                throw error
            }
            if switchSync { try exec("PRAGMA synchronous=NORMAL") }
        }
    }

    public func get(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        defer { sqlite3_reset(select) }
        // A nil destructor is SQLITE_STATIC: the key outlives the step.
        sqlite3_bind_blob(select, 1, key.baseAddress, Int32(key.count), nil)
        switch sqlite3_step(select) {
        case SQLITE_ROW:
            let value = sqlite3_column_blob(select, 0)
            let length = Int(sqlite3_column_bytes(select, 0))
            try body(UnsafeRawBufferPointer(start: value, count: length))
            return true
        case SQLITE_DONE:
            return false
        default:
            throw error("SELECT v")
        }
    }

    public func scan(_ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        let statement = try prepare("SELECT k, v FROM kv ORDER BY k")
        defer { sqlite3_finalize(statement) }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                let key = UnsafeRawBufferPointer(
                    start: sqlite3_column_blob(statement, 0), count: Int(sqlite3_column_bytes(statement, 0)))
                let value = UnsafeRawBufferPointer(
                    start: sqlite3_column_blob(statement, 1), count: Int(sqlite3_column_bytes(statement, 1)))
                if try !visit(key, value) { return }
            case SQLITE_DONE:
                return
            default:
                throw error("SELECT k, v")
            }
        }
    }

    public func sync() throws {
        // Copies the WAL into the database file and fsyncs both.
        try writeLock.withLock { _ in try exec("PRAGMA wal_checkpoint(FULL)") }
    }

    public func close() throws {
        for statement in [insert, select, begin, commit] { sqlite3_finalize(statement) }
        (insert, select, begin, commit) = (nil, nil, nil, nil)
        if let db {
            let rc = sqlite3_close(db)
            self.db = nil
            if rc != SQLITE_OK { throw PeerError(peer: name, operation: "sqlite3_close", message: "code \(rc)") }
        }
    }

    private func exec(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "code \(rc)"
            sqlite3_free(message)
            throw PeerError(peer: name, operation: sql, message: text)
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw error("prepare \(sql)") }
        return statement
    }

    private func step(_ statement: OpaquePointer?, _ operation: String) throws {
        let rc = sqlite3_step(statement)
        if statement != insert { sqlite3_reset(statement) }
        guard rc == SQLITE_DONE else { throw error(operation) }
    }

    private func error(_ operation: String) -> PeerError {
        PeerError(peer: name, operation: operation, message: String(cString: sqlite3_errmsg(db)))
    }
}
