import BenchCore
import Foundation
import StrataEngine

/// Strata, through the engine's public API (planned; see Benchmarks/README.md):
/// `Database.open(at:configuration:)`, one tree named "bench", a batch as one
/// `db.write { tx in … }` (not synced) or `db.write(durability: .synced)` (a synced,
/// group-committed commit, which makes every earlier commit durable),
/// `tree.get`, and one lazy forward cursor for a scan.
public final class StrataPeer: KVPeer, @unchecked Sendable {
    // @unchecked because `database` and `tree` are set by open/close on one
    // thread; `write` may run on several threads, which Database serializes
    // (and group-commits) itself.
    public let name = "strata"
    private var database: Database?
    private var tree: Tree?
    private var durableConnection = false

    /// A closed peer.
    public init() {}

    deinit { try? close() }

    public func open(directory: String, options: PeerOpenOptions) throws {
        precondition(database == nil, "already open")
        var configuration = Database.Configuration()
        // Durable connections (open, syncwrite) sync every commit; bulk ones only
        // the commits written with `durability: .synced`.
        configuration.defaultDurability = options.durable ? .synced : .buffered
        if let memory = options.memory {
            // The scale workload's budget: clean-page cache and dirty pages (the WAL budget stays 64 MiB).
            configuration.cacheBytes = memory.cacheBytes
            configuration.dirtyBytes = memory.writeBufferBytes
        }
        // Memory budgets for the 10M-key run (e.g. STRATA_CACHE_MIB=64 STRATA_DIRTY_MIB=64).
        let environment = ProcessInfo.processInfo.environment
        if let mib = environment["STRATA_CACHE_MIB"].flatMap(Int.init) { configuration.cacheBytes = mib << 20 }
        if let bytes = environment["STRATA_PAGE_SIZE"].flatMap(Int.init) { configuration.pageSize = bytes }
        if let mib = environment["STRATA_DIRTY_MIB"].flatMap(Int.init) {
            configuration.dirtyBytes = mib << 20
            configuration.walBytes = mib << 20
        }
        durableConnection = options.durable
        let database = try Database.open(at: directory, configuration: configuration)
        self.database = database
        tree = try database.tree("bench")
    }

    public func write(_ batch: borrowing WriteBatch, durable: Bool) throws {
        guard let database, let tree else { preconditionFailure("not open") }
        // Each key and value is copied once, into the transaction's encoded operations.
        try database.write(durability: durable || durableConnection ? .synced : .buffered) { tx in
            try batch.forEach { key, value in try tx.insert(value, forKey: key, in: tree) }
        }
    }

    public func get(_ key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        guard let tree else { preconditionFailure("not open") }
        return try tree.withValue(forKey: key) { value -> Bool in
            guard let value else { return false }
            try body(value)
            return true
        }
    }

    public func scan(_ visit: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws {
        guard let tree else { preconditionFailure("not open") }
        var cursor = try tree.range(from: nil, to: nil)
        try cursor.forEachBorrowed(visit)
    }

    public func sync() throws {
        try database?.flush()
    }

    public func close() throws {
        tree = nil
        if let database {
            self.database = nil
            try database.close()
        }
    }
}
