import MW1Core
import MW1SQLite

/// A store that forwards to the SQLite driver, with hooks that make it misbehave the ways real
/// stores do: an answer altered, a forget or a sweep that does not reach every index, phases
/// left out. The runner must catch each.
final class ForwardingStore: MW1Store {
    let base: SQLiteMW1Store
    var name: String { "forwarding" }
    var supportedPhases: Set<MW1Phase>
    /// Applied to every answer of the query phases (and to `get`'s record).
    var alterAnswer: (MW1Phase, [String]) -> [String] = { $1 }
    var alterRecord: (MW1Node?) -> MW1Node? = { $0 }
    /// When false, forget and expire do nothing (a store whose delete misses the data).
    var removes = true
    /// Phases whose methods were called.
    private(set) var called: Set<MW1Phase> = []

    init(directory: String, supportedPhases: Set<MW1Phase> = Set(MW1Phase.queryPhases)) throws {
        base = try SQLiteMW1Store(directory: directory)
        self.supportedPhases = supportedPhases
    }

    private func answer(_ phase: MW1Phase, _ body: () throws -> [String]) rethrows -> [String] {
        called.insert(phase)
        return alterAnswer(phase, try body())
    }

    func ingest(_ transaction: MW1Transaction) throws { try base.ingest(transaction) }
    func flushDurable() throws { try base.flushDurable() }
    func get(id: String) throws -> MW1Node? {
        called.insert(.get)
        return alterRecord(try base.get(id: id))
    }
    func window(conversation: String, limit: Int) throws -> [String] {
        try answer(.window) { try base.window(conversation: conversation, limit: limit) }
    }
    func timerange(namespace: String, from: Int64, to: Int64, limit: Int) throws -> [String] {
        try answer(.timerange) { try base.timerange(namespace: namespace, from: from, to: to, limit: limit) }
    }
    func mentionsOfMessage(id: String) throws -> [String] {
        try answer(.mentionsOfMessage) { try base.mentionsOfMessage(id: id) }
    }
    func messagesOfEntity(id: String, limit: Int) throws -> [String] {
        try answer(.messagesOfEntity) { try base.messagesOfEntity(id: id, limit: limit) }
    }
    func cooccur(id: String, limit: Int) throws -> [String] {
        try answer(.cooccur) { try base.cooccur(id: id, limit: limit) }
    }
    func knn(namespace: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try answer(.knn) { try base.knn(namespace: namespace, vector: vector, k: k) }
    }
    func knnConversation(namespace: String, conversation: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try answer(.knnConversation) { try base.knnConversation(namespace: namespace, conversation: conversation, vector: vector, k: k) }
    }
    func knnTime(namespace: String, from: Int64, to: Int64, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try answer(.knnTime) { try base.knnTime(namespace: namespace, from: from, to: to, vector: vector, k: k) }
    }
    func knnMemory(
        namespace: String, memoryKind: MW1Node.MemoryKind, minImportance: Double, nowMs: Int64,
        vector: ArraySlice<Float>, k: Int
    ) throws -> [String] {
        try answer(.knnMemory) {
            try base.knnMemory(namespace: namespace, memoryKind: memoryKind, minImportance: minImportance, nowMs: nowMs, vector: vector, k: k)
        }
    }
    func hybrid(namespace: String, vector: ArraySlice<Float>, k: Int, hops: Int) throws -> [String] {
        try answer(.hybrid) { try base.hybrid(namespace: namespace, vector: vector, k: k, hops: hops) }
    }
    func forget(kind: MW1ForgetItem.Kind, id: String) throws {
        if removes { try base.forget(kind: kind, id: id) }
    }
    func expire(nowMs: Int64) throws -> Int {
        removes ? try base.expire(nowMs: nowMs) : 0
    }
    func close() throws { try base.close() }
    func reopen() throws { try base.reopen() }
    func bytesOnDisk() throws -> UInt64 { try base.bytesOnDisk() }
}
