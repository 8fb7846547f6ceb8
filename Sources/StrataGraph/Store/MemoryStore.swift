#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import Synchronization

/// An agent's memory: typed nodes (conversations, messages, entities, summaries, memories, your
/// own kinds), edges between them and their embeddings, in one Strata database, with every index
/// derived from a record written in the record's own transaction.
///
/// ```swift
/// let store = try MemoryStore.open(at: "/var/lib/agent/memory")
/// let chat = try store.insert(Node(namespace: "user-42", .conversation(Conversation(title: "Trip"))))
/// try store.write { graph in
///     let paris = try graph.insert(Node(namespace: "user-42", .entity(Entity(type: .place, name: "Paris"))))
///     let ask = try graph.insert(Node(namespace: "user-42",
///         .message(Message(conversation: chat.id, role: .user, text: "Flights to Paris?"))))
///     try graph.addEdge(Edge(from: ask.id, type: .mentions, to: paris.id))
/// }
/// let window = try store.reader().messages(in: chat.id, limit: 50, reverse: true)
/// try store.forget(chat.id)   // the conversation, its messages, their edges, vectors and index entries
/// ```
///
/// The store is safe to use from any thread: writes are serialised by the engine, reads run on
/// snapshots and never wait for a writer.
public final class MemoryStore: Sendable {
    /// How a store behaves beyond its engine.
    public struct Configuration: Sendable {
        /// The engine's settings (cache, durability, ...).
        public var engine: Database.Configuration
        /// How many earlier versions of a record an update keeps (oldest dropped first); 0 keeps
        /// none. Deleting a node deletes all of them.
        public var versionRetention: Int
        /// The clock that stamps updates and decides what has expired ("now" for queries).
        public var clock: @Sendable () -> Date
        /// The most nodes ``MemoryStore/expire(now:)`` deletes per transaction.
        public var sweepBatch: Int

        public init(
            engine: Database.Configuration = .init(), versionRetention: Int = 16,
            clock: @escaping @Sendable () -> Date = { Date() }, sweepBatch: Int = 512
        ) {
            self.engine = engine
            self.versionRetention = versionRetention
            self.clock = clock
            self.sweepBatch = sweepBatch
        }
    }

    /// The engine database the graph lives in (its trees are owned by the graph layer: other
    /// code can read them, not write them).
    public let database: Database
    let trees: GraphTrees
    /// The store's configuration.
    public let configuration: Configuration
    /// Whether ``close()`` closes the database too (the store opened it).
    private let ownsDatabase: Bool
    /// Whether a maintenance pass (``rebuildIndexes(batchSize:)``) owns the store's writes.
    private let maintenance = Mutex(false)
    /// Whether anything has expired, per commit (readers hide the expired only when something has).
    private let expiryProbe = ExpiryProbe()

    /// The graph format this build writes (recorded in the `graph.meta` tree).
    public static let formatVersion: UInt64 = 1

    /// Opens (creating if allowed) the database in `path` and the memory store in it.
    public static func open(at path: String, configuration: Configuration = .init()) throws -> MemoryStore {
        let database = try Database.open(at: path, configuration: configuration.engine)
        do {
            return try MemoryStore(database: database, configuration: configuration, ownsDatabase: true)
        } catch {
            try? database.close()
            throw error
        }
    }

    /// A memory store in an open database (creating its trees if the database is writable).
    /// Closing the store then leaves the database open.
    public convenience init(database: Database, configuration: Configuration = .init()) throws {
        try self.init(database: database, configuration: configuration, ownsDatabase: false)
    }

    private init(database: Database, configuration: Configuration, ownsDatabase: Bool) throws {
        guard configuration.versionRetention >= 0, configuration.sweepBatch >= 1 else {
            throw GraphError.invalidField("configuration", "versionRetention must be ≥ 0 and sweepBatch ≥ 1")
        }
        self.database = database
        self.configuration = configuration
        self.ownsDatabase = ownsDatabase
        self.trees = try GraphTrees.open(in: database)
        let formatKey = TupleKey("format").bytes
        if let stored = try trees.meta.get(formatKey) {
            var reader = RecordReader(stored, context: "graph format")
            let version = try reader.varint()
            guard version <= Self.formatVersion else {
                throw StrataError(.formatVersion, "the memory store in \(database.path) has graph format \(version); this build reads up to \(Self.formatVersion)")
            }
        } else if !database.isReadOnly {
            var writer = RecordWriter()
            writer.varint(Self.formatVersion)
            try database.write { tx in try tx.insert(writer.bytes, forKey: formatKey, in: trees.meta) }
        }
        try resumeInterruptedRebuild()
    }

    func beginMaintenance() throws {
        try maintenance.withLock { running in
            guard !running else { throw StrataError(.conflict, "a rebuild of the memory store's indexes is running") }
            running = true
        }
    }

    func endMaintenance() {
        maintenance.withLock { $0 = false }
    }

    /// Closes the database if the store opened it. Further calls throw `closed`.
    public func close() throws {
        if ownsDatabase { try database.close() }
    }

    // MARK: Transactions and readers

    /// Runs `body` as one atomic transaction: all of its writes and their index entries commit
    /// together, or (if it throws) none do.
    public func write<T>(durability: Durability? = nil, _ body: (GraphTransaction) throws -> T) throws -> T {
        let now = configuration.clock()
        return try database.write(durability: durability) { transaction in
            // Checked under the writer lock: no write lands between a rebuild's batches.
            if maintenance.withLock({ $0 }) {
                throw StrataError(.conflict, "the memory store's indexes are being rebuilt; write after rebuildIndexes returns")
            }
            return try body(GraphTransaction(
                transaction: transaction, trees: trees, versionRetention: configuration.versionRetention, now: now))
        }
    }

    /// A read view on the latest commit, hiding what has expired at `now` (default: the clock)
    /// unless `includingExpired`.
    public func reader(at now: Date? = nil, includingExpired: Bool = false) throws -> GraphReader {
        let snapshot = try database.snapshot()
        let now = now ?? configuration.clock()
        let anyExpired = try !includingExpired && expiryProbe.anyExpired(at: now, in: trees.view(snapshot))
        return GraphReader(snapshot: snapshot, trees: trees, now: now, includingExpired: includingExpired, anyExpired: anyExpired)
    }

    /// Runs `body` on one ``reader(at:includingExpired:)``.
    public func read<T>(_ body: (GraphReader) throws -> T) throws -> T {
        try body(reader())
    }

    // MARK: One-call conveniences (each its own transaction or snapshot)

    /// Inserts one node (``GraphTransaction/insert(_:)``).
    @discardableResult
    public func insert(_ node: Node) throws -> Node {
        try write { try $0.insert(node) }
    }

    /// Inserts many nodes in one transaction (``GraphTransaction/insert(contentsOf:)``).
    public func insert(contentsOf nodes: [Node]) throws {
        try write { try $0.insert(contentsOf: nodes) }
    }

    /// Updates one node (``GraphTransaction/update(_:)``).
    @discardableResult
    public func update(_ node: Node) throws -> Node {
        try write { try $0.update(node) }
    }

    /// Reads, edits and stores one node in one transaction (``GraphTransaction/update(_:_:)``).
    @discardableResult
    public func update(_ id: NodeID, _ change: (inout Node) throws -> Void) throws -> Node {
        try write { try $0.update(id, change) }
    }

    /// The node with `id` (hidden once expired), or nil (``GraphReader/node(_:in:)``).
    public func node(_ id: NodeID, in namespace: String? = nil) throws -> Node? {
        try reader().node(id, in: namespace)
    }

    /// Deletes a node and everything derived from it (``GraphTransaction/delete(_:)``).
    @discardableResult
    public func delete(_ id: NodeID) throws -> Int {
        try write { try $0.delete(id) }
    }

    /// Deletes many nodes in one transaction (``GraphTransaction/delete(contentsOf:)``).
    @discardableResult
    public func delete(contentsOf ids: [NodeID]) throws -> Int {
        try write { try $0.delete(contentsOf: ids) }
    }

    /// Forgets a node: ``delete(_:)`` under the name agents use. Afterwards no query of any kind
    /// (get, lists, edges, expansion, vector search, versions) returns it or anything hanging off it.
    @discardableResult
    public func forget(_ id: NodeID) throws -> Int {
        try delete(id)
    }

    /// Adds an edge (``GraphTransaction/addEdge(_:)``).
    public func addEdge(_ edge: Edge) throws {
        try write { try $0.addEdge(edge) }
    }

    /// Removes an edge (``GraphTransaction/removeEdge(from:type:to:)``).
    @discardableResult
    public func removeEdge(from: NodeID, type: EdgeType, to: NodeID) throws -> Bool {
        try write { try $0.removeEdge(from: from, type: type, to: to) }
    }

    /// Invalidates an edge (``GraphTransaction/invalidateEdge(from:type:to:at:)``).
    public func invalidateEdge(from: NodeID, type: EdgeType, to: NodeID, at date: Date? = nil) throws {
        try write { try $0.invalidateEdge(from: from, type: type, to: to, at: date) }
    }

    /// Records an access (``GraphTransaction/recordAccess(_:at:)``).
    public func recordAccess(_ id: NodeID, at date: Date? = nil) throws {
        try write { try $0.recordAccess(id, at: date) }
    }

    /// Defines an embedding space (``GraphTransaction/define(_:)``).
    public func define(_ space: EmbeddingSpace) throws {
        try write { try $0.define(space) }
    }

    /// Stores a vector (``GraphTransaction/setVector(_:for:in:)``).
    public func setVector(_ vector: [Float], for id: NodeID, in space: String) throws {
        try write { try $0.setVector(vector, for: id, in: space) }
    }

    // MARK: Expiry

    /// Deletes every node whose `expiresAt` ≤ `now` (default: the clock), through the ordinary
    /// delete path (so their edges, vectors and dependents go too), in transactions of at most
    /// ``Configuration/sweepBatch`` nodes. Queries hide expired nodes before the sweep runs; the
    /// sweep reclaims their space. Returns how many nodes were deleted (cascades included).
    @discardableResult
    public func expire(now: Date? = nil) throws -> Int {
        let now = now ?? configuration.clock()
        try Timestamp.validate(now, "now")
        var total = 0
        while true {
            let batch = try write { graph -> Int in
                let due = try graph.view.expiredIDs(at: now, limit: configuration.sweepBatch)
                var deleted = 0
                for id in due where try graph.view.contains(id) {
                    deleted += try graph.delete(id)
                }
                return due.isEmpty ? -1 : deleted
            }
            if batch < 0 { return total }
            total += batch
        }
    }
}
