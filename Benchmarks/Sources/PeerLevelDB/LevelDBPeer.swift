import BenchCore
import CLevelDB

/// LevelDB through `leveldb/c.h`, configured as WORKLOADS.md's peer table
/// says: `create_if_missing` and LevelDB's defaults (4 MiB memtable, 8 MiB
/// block cache, Snappy) plus a bloom filter of 10 bits per key. Batches are
/// `leveldb_write` of a `WriteBatch` with `sync=false`, durable ones with
/// `sync=true`; `leveldb_get` returns a malloc'd copy, which is freed. Close
/// does not flush the memtable.
public final class LevelDBPeer: KVPeer, @unchecked Sendable {
    // @unchecked because the handles are used by one thread at a time, except
    // `write`, which LevelDB makes thread-safe (and groups into one log sync).
    public let name = "leveldb"
    private var db: OpaquePointer?
    private var options: OpaquePointer?
    private var filterPolicy: OpaquePointer?
    /// The block cache of a scale-workload open (`PeerOpenOptions.memory`); nil for the default 8 MiB.
    private var blockCache: OpaquePointer?
    private let readOptions = leveldb_readoptions_create()
    private let bulkWrite = leveldb_writeoptions_create()
    private let syncWrite = leveldb_writeoptions_create()

    /// A closed peer.
    public init() {
        leveldb_writeoptions_set_sync(bulkWrite, 0)
        leveldb_writeoptions_set_sync(syncWrite, 1)
    }

    deinit {
        try? close()
        leveldb_readoptions_destroy(readOptions)
        leveldb_writeoptions_destroy(bulkWrite)
        leveldb_writeoptions_destroy(syncWrite)
    }

    public func open(directory: String, options openOptions: PeerOpenOptions) throws {
        precondition(db == nil, "already open")
        let options = leveldb_options_create()
        leveldb_options_set_create_if_missing(options, 1)
        let filterPolicy = leveldb_filterpolicy_create_bloom(10)
        leveldb_options_set_filter_policy(options, filterPolicy)
        if let memory = openOptions.memory {
            // The scale workload's budget: write buffer (memtable) and block cache.
            leveldb_options_set_write_buffer_size(options, memory.writeBufferBytes)
            let cache = leveldb_cache_create_lru(memory.cacheBytes)
            leveldb_options_set_cache(options, cache)
            blockCache = cache
        }
        self.options = options
        self.filterPolicy = filterPolicy
        // Durable or not, the difference is per write (WriteOptions.sync).
        db = try call("leveldb_open") { leveldb_open(options, directory, $0) }
    }

    public func write(_ batch: borrowing WriteBatch, durable: Bool) throws {
        let writeBatch = leveldb_writebatch_create()
        defer { leveldb_writebatch_destroy(writeBatch) }
        batch.forEach { key, value in
            leveldb_writebatch_put(
                writeBatch,
                key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count,
                value.baseAddress?.assumingMemoryBound(to: CChar.self), value.count
            )
        }
        try call("leveldb_write") { leveldb_write(db, durable ? syncWrite : bulkWrite, writeBatch, $0) }
    }

    public func get(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        var length = 0
        let value = try call("leveldb_get") {
            leveldb_get(db, readOptions, key.baseAddress?.assumingMemoryBound(to: CChar.self), key.count, &length, $0)
        }
        guard let value else { return false }
        defer { leveldb_free(value) }
        try body(UnsafeRawBufferPointer(start: value, count: length))
        return true
    }

    public func scan(_ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        let iterator = leveldb_create_iterator(db, readOptions)
        defer { leveldb_iter_destroy(iterator) }
        leveldb_iter_seek_to_first(iterator)
        while leveldb_iter_valid(iterator) != 0 {
            var keyLength = 0
            var valueLength = 0
            let key = leveldb_iter_key(iterator, &keyLength)
            let value = leveldb_iter_value(iterator, &valueLength)
            let more = try visit(
                UnsafeRawBufferPointer(start: key, count: keyLength),
                UnsafeRawBufferPointer(start: value, count: valueLength)
            )
            if !more { return }
            leveldb_iter_next(iterator)
        }
        try call("leveldb_iter_get_error") { leveldb_iter_get_error(iterator, $0) }
    }

    public func sync() throws {
        // An empty synced write syncs the log, making every earlier write durable.
        let writeBatch = leveldb_writebatch_create()
        defer { leveldb_writebatch_destroy(writeBatch) }
        try call("leveldb_write(sync)") { leveldb_write(db, syncWrite, writeBatch, $0) }
    }

    public func close() throws {
        if let db {
            leveldb_close(db)
            self.db = nil
        }
        if let options {
            leveldb_options_destroy(options)
            self.options = nil
        }
        if let filterPolicy {
            leveldb_filterpolicy_destroy(filterPolicy)
            self.filterPolicy = nil
        }
        if let blockCache {
            leveldb_cache_destroy(blockCache)
            self.blockCache = nil
        }
    }

    /// Calls a C function that reports failure through `char** errptr`.
    private func call<T>(_ operation: String, _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T) throws -> T {
        var error: UnsafeMutablePointer<CChar>?
        let result = body(&error)
        if let error {
            defer { leveldb_free(error) }
            throw PeerError(peer: name, operation: operation, message: String(cString: error))
        }
        return result
    }
}
