import CSQLite
import MW1Core

/// `SQLITE_TRANSIENT`: SQLite copies the bound value before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection through the C API: open, `exec`, prepared statements. Errors are
/// `MW1StoreError.failed` with SQLite's message.
final class SQLiteConnection {
    private(set) var handle: OpaquePointer?

    /// Opens (creating if missing) the database file at `path`.
    init(path: String) throws {
        let rc = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
            sqlite3_close(handle)
            throw MW1StoreError.failed(store: "sqlite", operation: "open \(path)", message: message)
        }
    }

    /// Runs SQL that returns no rows we need.
    func exec(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "code \(rc)"
            sqlite3_free(message)
            throw MW1StoreError.failed(store: "sqlite", operation: sql, message: text)
        }
    }

    /// A prepared statement, to be reused.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK else {
            throw error("prepare \(sql)")
        }
        return SQLiteStatement(statement!, connection: self, sql: sql)
    }

    /// Loads the SQLite extension at `path` (a loadable library; SQLite tries the name with
    /// `.so` appended too) into this connection. Loading is enabled only for the call, through
    /// `sqlite3_enable_load_extension`, and disabled again afterwards.
    func loadExtension(_ path: String) throws {
        guard sqlite3_enable_load_extension(handle, 1) == SQLITE_OK else { throw error("enable extension loading") }
        defer { sqlite3_enable_load_extension(handle, 0) }
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_load_extension(handle, path, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "code \(sqlite3_errcode(handle))"
            sqlite3_free(message)
            throw MW1StoreError.failed(store: "sqlite", operation: "load extension \(path)", message: text)
        }
    }

    /// The first column of the first row of `sql` as text, or nil (no row, or NULL).
    func scalar(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        guard try statement.step() else { return nil }
        return statement.string(0)
    }

    /// Rows changed by the last statement (not counting cascades).
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// Closes the connection; every statement must be finalized first.
    func close() throws {
        guard let handle else { return }
        let rc = sqlite3_close(handle)
        self.handle = nil
        guard rc == SQLITE_OK else { throw MW1StoreError.failed(store: "sqlite", operation: "close", message: "code \(rc)") }
    }

    func error(_ operation: String) -> MW1StoreError {
        .failed(store: "sqlite", operation: operation, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")
    }
}

/// A prepared statement: bind by 1-based index, step, read columns by 0-based index, reset.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let connection: SQLiteConnection
    let sql: String

    init(_ statement: OpaquePointer, connection: SQLiteConnection, sql: String) {
        (self.statement, self.connection, self.sql) = (statement, connection, sql)
    }

    func finalize() { sqlite3_finalize(statement) }

    func bind(_ index: Int32, _ value: String?) {
        if let value { sqlite3_bind_text(statement, index, value, -1, transient) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    func bind(_ index: Int32, floats: ArraySlice<Float>) {
        _ = floats.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
    }

    /// Steps once: true with a row to read, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.error(sql)
            sqlite3_reset(statement)
            throw error
        }
    }

    /// Steps a statement that returns no rows, then resets it.
    func run() throws {
        defer { reset() }
        _ = try step()
    }

    /// Resets for the next use and clears the bindings.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: text)
    }

    func int64(_ column: Int32) -> Int64? { isNull(column) ? nil : sqlite3_column_int64(statement, column) }

    func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(statement, column) }

    /// The column's bytes, valid until the next step or reset.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(statement, column))
        return UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, column), count: count)
    }

    /// Every row's first column as a string (the id lists the phases answer), then resets.
    func ids() throws -> [String] {
        defer { reset() }
        var out: [String] = []
        while try step() { if let id = string(0) { out.append(id) } }
        return out
    }
}
