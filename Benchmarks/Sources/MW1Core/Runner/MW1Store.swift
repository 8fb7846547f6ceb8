/// A store under test: what the MW1 runner calls, one method per operation of
/// MEMORY-WORKLOAD.md. Every method is called from one thread. Answers are lists of ids in the
/// order the phase defines; the runner checks them against the truth files.
///
/// A store that cannot express a phase leaves it out of `supportedPhases`: the runner then
/// prints the phase as unsupported and never calls its method (the default implementations
/// throw `MW1StoreError.unsupported`).
public protocol MW1Store: AnyObject {
    /// The store's name on the JSON lines (`"sqlite"`, `"strata"`).
    var name: String { get }
    /// The query phases it answers (`MW1Phase.queryPhases` or a subset).
    var supportedPhases: Set<MW1Phase> { get }

    /// Writes one transaction's nodes, edges and embedding and commits it (not necessarily durably).
    func ingest(_ transaction: MW1Transaction) throws
    /// Makes every commit so far durable (called after every 1,000th transaction, after the last
    /// one, after the forget and after the expiry sweep).
    func flushDurable() throws

    /// The whole record with this id, or nil.
    func get(id: String) throws -> MW1Node?
    /// The conversation's last `limit` messages, newest first.
    func window(conversation: String, limit: Int) throws -> [String]
    /// The namespace's messages with `from <= ts < to`, oldest first, at most `limit`.
    func timerange(namespace: String, from: Int64, to: Int64, limit: Int) throws -> [String]
    /// The entities the message mentions, by id.
    func mentionsOfMessage(id: String) throws -> [String]
    /// The messages that mention the entity, newest first, at most `limit`.
    func messagesOfEntity(id: String, limit: Int) throws -> [String]
    /// The entities co-mentioned with the entity in its newest `limit` messages, by count desc
    /// then id (the entity itself excluded).
    func cooccur(id: String, limit: Int) throws -> [String]

    /// The namespace's messages and memories nearest `vector`, best first (ties by id).
    func knn(namespace: String, vector: ArraySlice<Float>, k: Int) throws -> [String]
    /// The conversation's messages nearest `vector`.
    func knnConversation(namespace: String, conversation: String, vector: ArraySlice<Float>, k: Int) throws -> [String]
    /// The namespace's messages and memories with `from <= ts < to` nearest `vector`.
    func knnTime(namespace: String, from: Int64, to: Int64, vector: ArraySlice<Float>, k: Int) throws -> [String]
    /// The namespace's memories of `memoryKind` with importance at least `minImportance` and
    /// `expires_at` null or after `nowMs`, nearest `vector`.
    func knnMemory(
        namespace: String, memoryKind: MW1Node.MemoryKind, minImportance: Double, nowMs: Int64,
        vector: ArraySlice<Float>, k: Int
    ) throws -> [String]
    /// The `k` messages nearest `vector`, then the entities they mention within `hops` (1), by
    /// mention count desc then id.
    func hybrid(namespace: String, vector: ArraySlice<Float>, k: Int, hops: Int) throws -> [String]

    /// Deletes the conversation (with its messages, their edges both ways, their embeddings and
    /// the memories derived from them) or the memory, in one transaction.
    func forget(kind: MW1ForgetItem.Kind, id: String) throws
    /// Removes every memory with `expires_at <= nowMs`; returns how many.
    func expire(nowMs: Int64) throws -> Int

    /// Closes the store (everything committed survives).
    func close() throws
    /// Opens the closed store again on the same directory.
    func reopen() throws
    /// The space its files take on disk (`st_blocks * 512`, summed).
    func bytesOnDisk() throws -> UInt64
}

/// Errors of the runner and the stores it drives.
public enum MW1StoreError: Error, CustomStringConvertible {
    /// The store does not answer this phase.
    case unsupported(MW1Phase)
    /// The store failed; `operation` says what it was doing.
    case failed(store: String, operation: String, message: String)

    /// A message for people.
    public var description: String {
        switch self {
        case .unsupported(let phase): "phase \(phase.rawValue) is not supported by this store"
        case .failed(let store, let operation, let message): "\(store): \(operation): \(message)"
        }
    }
}

extension MW1Store {
    /// Throws: a store that leaves `knn` out of `supportedPhases` need not implement it.
    public func knn(namespace: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        throw MW1StoreError.unsupported(.knn)
    }

    /// Throws: a store that leaves `knn_conversation` out of `supportedPhases` need not implement it.
    public func knnConversation(namespace: String, conversation: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        throw MW1StoreError.unsupported(.knnConversation)
    }

    /// Throws: a store that leaves `knn_time` out of `supportedPhases` need not implement it.
    public func knnTime(namespace: String, from: Int64, to: Int64, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        throw MW1StoreError.unsupported(.knnTime)
    }

    /// Throws: a store that leaves `knn_memory` out of `supportedPhases` need not implement it.
    public func knnMemory(
        namespace: String, memoryKind: MW1Node.MemoryKind, minImportance: Double, nowMs: Int64,
        vector: ArraySlice<Float>, k: Int
    ) throws -> [String] {
        throw MW1StoreError.unsupported(.knnMemory)
    }

    /// Throws: a store that leaves `hybrid` out of `supportedPhases` need not implement it.
    public func hybrid(namespace: String, vector: ArraySlice<Float>, k: Int, hops: Int) throws -> [String] {
        throw MW1StoreError.unsupported(.hybrid)
    }

    /// Runs one query against the store: the method its phase names.
    public func answer(_ query: MW1Query) throws -> [String] {
        switch query {
        case .get(let id): return try get(id: id).map { [$0.id] } ?? []
        case .window(let c, let limit): return try window(conversation: c, limit: limit)
        case .timerange(let ns, let from, let to, let limit): return try timerange(namespace: ns, from: from, to: to, limit: limit)
        case .mentionsOfMessage(let id): return try mentionsOfMessage(id: id)
        case .messagesOfEntity(let id, let limit): return try messagesOfEntity(id: id, limit: limit)
        case .cooccur(let id, let limit): return try cooccur(id: id, limit: limit)
        case .knn(let ns, let v, let k): return try knn(namespace: ns, vector: v, k: k)
        case .knnConversation(let ns, let c, let v, let k): return try knnConversation(namespace: ns, conversation: c, vector: v, k: k)
        case .knnTime(let ns, let from, let to, let v, let k): return try knnTime(namespace: ns, from: from, to: to, vector: v, k: k)
        case .knnMemory(let ns, let kind, let minImportance, let now, let v, let k):
            return try knnMemory(namespace: ns, memoryKind: kind, minImportance: minImportance, nowMs: now, vector: v, k: k)
        case .hybrid(let ns, let v, let k, let hops): return try hybrid(namespace: ns, vector: v, k: k, hops: hops)
        }
    }
}
