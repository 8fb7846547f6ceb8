import BenchCore
import CRocksDB

/// RocksDB through `rocksdb/c.h`, configured as WORKLOADS.md's peer table
/// says: `create_if_missing` and RocksDB's defaults (64 MiB memtable, 8 MiB
/// block cache, Snappy, 2 background jobs, leveled compaction) plus a full
/// bloom filter of 10 bits per key. Batches are `rocksdb_write` of a
/// `WriteBatch` with `sync=false`, durable ones with `sync=true`; gets use
/// `rocksdb_get_pinned` (no copy). Close does not flush the memtable.
public final class RocksDBPeer: KVPeer, @unchecked Sendable {
    // @unchecked because the handles are used by one thread at a time, except
    // `write`, which RocksDB makes thread-safe (and groups into one WAL sync).
    public let name = "rocksdb"
    private var db: OpaquePointer?
    private var options: OpaquePointer?
    private var tableOptions: OpaquePointer?
    /// The block cache of a scale-workload open (`PeerOpenOptions.memory`); nil for the default 8 MiB.
    private var blockCache: OpaquePointer?
    private let readOptions = rocksdb_readoptions_create()
    private let bulkWrite = rocksdb_writeoptions_create()
    private let syncWrite = rocksdb_writeoptions_create()

    /// A closed peer.
    public init() {
        rocksdb_writeoptions_set_sync(bulkWrite, 0)
        rocksdb_writeoptions_set_sync(syncWrite, 1)
    }

    deinit {
        try? close()
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_writeoptions_destroy(bulkWrite)
        rocksdb_writeoptions_destroy(syncWrite)
    }

    public func open(directory: String, options openOptions: PeerOpenOptions) throws {
        precondition(db == nil, "already open")
        let options = rocksdb_options_create()
        rocksdb_options_set_create_if_missing(options, 1)
        let tableOptions = rocksdb_block_based_options_create()
        rocksdb_block_based_options_set_filter_policy(tableOptions, rocksdb_filterpolicy_create_bloom_full(10))
        if let memory = openOptions.memory {
            // The scale workload's budget: memtable and block cache.
            rocksdb_options_set_write_buffer_size(options, memory.writeBufferBytes)
            let cache = rocksdb_cache_create_lru(memory.cacheBytes)
            rocksdb_block_based_options_set_block_cache(tableOptions, cache)
            blockCache = cache
        }
        rocksdb_options_set_block_based_table_factory(options, tableOptions)
        self.options = options
        self.tableOptions = tableOptions
        // Durable or not, the difference is per write (WriteOptions.sync).
        db = try call("rocksdb_open") { rocksdb_open(options, directory, $0) }
    }

    public func write(_ batch: borrowing WriteBatch, durable: Bool) throws {
        let writeBatch = rocksdb_writebatch_create()
        defer { rocksdb_writebatch_destroy(writeBatch) }
        batch.forEach { key, value in
            rocksdb_writebatch_put(
                writeBatch,
                key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count,
                value.baseAddress?.assumingMemoryBound(to: CChar.self), value.count
            )
        }
        try call("rocksdb_write") { rocksdb_write(db, durable ? syncWrite : bulkWrite, writeBatch, $0) }
    }

    public func get(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let slice = try call("rocksdb_get_pinned") {
            rocksdb_get_pinned(db, readOptions, key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count, $0)
        }
        guard let slice else { return false }
        defer { rocksdb_pinnableslice_destroy(slice) }
        var length = 0
        guard let value = rocksdb_pinnableslice_value(slice, &length) else { return false }
        try body(UnsafeRawBufferPointer(start: value, count: length))
        return true
    }

    public func scan(_ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        let iterator = rocksdb_create_iterator(db, readOptions)
        defer { rocksdb_iter_destroy(iterator) }
        rocksdb_iter_seek_to_first(iterator)
        while rocksdb_iter_valid(iterator) != 0 {
            var keyLength = 0
            var valueLength = 0
            let key = rocksdb_iter_key(iterator, &keyLength)
            let value = rocksdb_iter_value(iterator, &valueLength)
            let more = try visit(
                UnsafeRawBufferPointer(start: key, count: keyLength),
                UnsafeRawBufferPointer(start: value, count: valueLength)
            )
            if !more { return }
            rocksdb_iter_next(iterator)
        }
        try call("rocksdb_iter_get_error") { rocksdb_iter_get_error(iterator, $0) }
    }

    public func sync() throws {
        try call("rocksdb_flush_wal") { rocksdb_flush_wal(db, 1, $0) }
    }

    public func close() throws {
        if let db {
            rocksdb_close(db)
            self.db = nil
        }
        if let options {
            rocksdb_options_destroy(options)
            self.options = nil
        }
        if let tableOptions {
            // Owns the filter policy; the table factory holds its own copy.
            rocksdb_block_based_options_destroy(tableOptions)
            self.tableOptions = nil
        }
        if let blockCache {
            rocksdb_cache_destroy(blockCache)
            self.blockCache = nil
        }
    }

    /// Calls a C function that reports failure through `char** errptr`.
    private func call<T>(_ operation: String, _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) throws -> T {
        var error: UnsafeMutablePointer<CChar>?
        let result = body(&error)
        if let error {
            defer { rocksdb_free(error) }
            throw PeerError(peer: name, operation: operation, message: String(cString: error))
        }
        return result
    }
}
