/// How a peer is opened for one phase of the workloads.
public struct PeerOpenOptions: Sendable {
    /// True for `open` and `syncwrite` (and the beyond-db_bench commit runner):
    /// every commit is synced by the engine's own default mechanism. False for
    /// the bulk phases, where commits are not synced and only the commit
    /// passed `durable: true` is.
    public var durable: Bool
    /// N, for engines that size something up front (LMDB's map size).
    public var expectedKeys: Int
    /// The scale workload's equal memory budget; nil for WORKLOADS.md's default configuration.
    public var memory: MemoryBudget?

    /// Options for one open.
    public init(durable: Bool, expectedKeys: Int, memory: MemoryBudget? = nil) {
        self.durable = durable
        self.expectedKeys = expectedKeys
        self.memory = memory
    }
}

/// The memory every engine gets in the scale workload: a cache of clean data and a buffer
/// of unwritten changes, each mapped to the engine's own knobs (Strata: cache and dirty
/// budgets; RocksDB: block cache and memtable; LevelDB: cache and write buffer; SQLite:
/// page cache only; LMDB: none, it relies on the OS page cache).
public struct MemoryBudget: Sendable, Equatable {
    /// Bytes of cached clean data.
    public var cacheBytes: Int
    /// Bytes of changes buffered before they are written out (memtable, dirty pages).
    public var writeBufferBytes: Int

    /// A budget of `cacheBytes` and `writeBufferBytes`.
    public init(cacheBytes: Int, writeBufferBytes: Int) {
        self.cacheBytes = cacheBytes
        self.writeBufferBytes = writeBufferBytes
    }
}

/// A key-value engine under benchmark: Strata or one of its peers.
///
/// The workload runner drives every engine through these calls only, so each
/// adapter maps them to its engine exactly as WORKLOADS.md's "Peer
/// configuration" table says. Keys and values are lent as raw buffers that are
/// valid only for the duration of a call; a `get` or `scan` lends the engine's
/// own bytes to a closure, so an engine that can avoid a copy does.
///
/// An instance is used by one thread at a time, except `write(_:durable:)`,
/// which the concurrent commit runner calls from several threads at once: each
/// adapter makes that call thread-safe (by the engine's own locking or a mutex).
public protocol KVPeer: AnyObject, Sendable {
    /// The engine's name in the JSON lines: `strata`, `lmdb`, `rocksdb`, `leveldb`, `sqlite`.
    var name: String { get }

    /// Opens (creating if absent) the database in `directory`, which exists.
    func open(directory: String, options: PeerOpenOptions) throws

    /// Commits `batch` atomically, as one transaction or write batch. If
    /// `durable`, the commit is synced with the engine's own sync, which
    /// makes every earlier commit durable too.
    func write(_ batch: borrowing WriteBatch, durable: Bool) throws

    /// Looks `key` up. Returns false if absent; else lends the stored value to
    /// `body` for the duration of the call (zero-copy where the engine allows)
    /// and returns true. Not generic, so no peer pays for generic dispatch.
    func get(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool

    /// One forward scan in key order from the first key, with one iterator,
    /// cursor or statement. `visit` gets each key and value, lent for the
    /// duration of the call, and returns false to stop early.
    func scan(_ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws

    /// Makes every earlier commit durable.
    func sync() throws

    /// Closes the database; the instance can be opened again afterwards.
    func close() throws
}

extension KVPeer {
    /// `get` for a key held in an array (non-timed code).
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        var value: [UInt8]?
        _ = try key.withUnsafeBytes { key in try get(key) { value = [UInt8]($0) } }
        return value
    }
}

/// An error a peer adapter throws, with the engine's own message.
public struct PeerError: Error, CustomStringConvertible, Sendable {
    /// The engine (`lmdb`, …).
    public var peer: String
    /// The call that failed, such as `mdb_txn_commit`.
    public var operation: String
    /// The engine's message or code.
    public var message: String

    /// An error of `peer`'s `operation`.
    public init(peer: String, operation: String, message: String) {
        self.peer = peer
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(peer): \(operation) failed: \(message)" }
}
