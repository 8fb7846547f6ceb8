import BenchCore
import CLMDB
import Synchronization

/// LMDB through `lmdb.h`, configured as WORKLOADS.md's peer table says:
/// map size max(1 GiB, N * 4 KiB), the default (unnamed) database, `MDB_NOSYNC`
/// for the bulk phases with `mdb_env_sync(env, 1)` after a durable commit, and
/// LMDB's default sync on every commit for `open` and `syncwrite`. Gets run in
/// their own read transaction (`mdb_txn_renew` / `mdb_txn_reset`) and are zero-copy.
public final class LMDBPeer: KVPeer, @unchecked Sendable {
    // @unchecked because the handles are used by one thread at a time, except
    // `write`, which LMDB itself serializes (one write transaction at a time).
    public let name = "lmdb"
    private var env: OpaquePointer?
    private var dbi: MDB_dbi = 0
    /// The thread's reusable read transaction, reset between gets.
    private var reader: OpaquePointer?
    private var noSync = false

    /// A closed peer.
    public init() {}

    deinit { try? close() }

    public func open(directory: String, options: PeerOpenOptions) throws {
        precondition(env == nil, "already open")
        try check(mdb_env_create(&env), "mdb_env_create")
        let mapSize = max(1 << 30, options.expectedKeys * 4096)
        try check(mdb_env_set_mapsize(env, mapSize), "mdb_env_set_mapsize")
        noSync = !options.durable
        let flags: UInt32 = noSync ? UInt32(MDB_NOSYNC) : 0
        do {
            try check(mdb_env_open(env, directory, flags, 0o644), "mdb_env_open")
            var txn: OpaquePointer?
            try check(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
            let rc = mdb_dbi_open(txn, nil, 0, &dbi)
            guard rc == MDB_SUCCESS else {
                mdb_txn_abort(txn)
                throw error(rc, "mdb_dbi_open")
            }
            try check(mdb_txn_commit(txn), "mdb_txn_commit")
        } catch {
            mdb_env_close(env)
            env = nil
            throw error
        }
    }

    public func write(_ batch: borrowing WriteBatch, durable: Bool) throws {
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, 0, &txn), "mdb_txn_begin")
        do {
            try batch.forEach { key, value in
                var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
                var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
                try check(mdb_put(txn, dbi, &k, &v, 0), "mdb_put")
            }
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        try check(mdb_txn_commit(txn), "mdb_txn_commit")
        // Without MDB_NOSYNC the commit itself synced.
        if durable && noSync { try check(mdb_env_sync(env, 1), "mdb_env_sync") }
    }

    public func get(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let txn = try renewReader()
        defer { mdb_txn_reset(txn) }
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(txn, dbi, &k, &v)
        if rc == MDB_NOTFOUND { return false }
        try check(rc, "mdb_get")
        try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
        return true
    }

    public func scan(_ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        let txn = try renewReader()
        defer { mdb_txn_reset(txn) }
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        var k = MDB_val()
        var v = MDB_val()
        var rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST)
        while rc == MDB_SUCCESS {
            let more = try visit(
                UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
            )
            if !more { return }
            rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)
        }
        if rc != MDB_NOTFOUND { try check(rc, "mdb_cursor_get") }
    }

    public func sync() throws {
        try check(mdb_env_sync(env, 1), "mdb_env_sync")
    }

    public func close() throws {
        if let reader {
            mdb_txn_abort(reader)
            self.reader = nil
        }
        if let env {
            mdb_env_close(env)
            self.env = nil
        }
    }

    /// The reusable read transaction, renewed (created on first use).
    private func renewReader() throws -> OpaquePointer? {
        if let reader {
            try check(mdb_txn_renew(reader), "mdb_txn_renew")
            return reader
        }
        var txn: OpaquePointer?
        try check(mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin(MDB_RDONLY)")
        reader = txn
        return txn
    }

    private func check(_ rc: Int32, _ operation: String) throws {
        if rc != MDB_SUCCESS { throw error(rc, operation) }
    }

    private func error(_ rc: Int32, _ operation: String) -> PeerError {
        PeerError(peer: name, operation: operation, message: String(cString: mdb_strerror(rc)))
    }
}
