import BenchCore
import Foundation
import MW1Core
import StrataEngine
import StrataGraph

/// MW1 on StrataGraph, as a Swift developer would write it: one ``MemoryStore`` in the work
/// directory; each dataset transaction is one graph transaction (nodes, edges and the vector,
/// with every index entry); queries run on a reader (a snapshot).
///
/// Durability: commits are buffered (the engine's WAL, with its background flush);
/// `flushDurable()` (every 1,000th transaction) calls `Database.flush()`, which fsyncs the WAL.
///
/// Mapping: dataset ids are string ``NodeID``s; `ts` in milliseconds is each node's `createdAt`
/// (an entity, which has no `ts`, takes its transaction's message or memory time); a memory's
/// `source` is its ``Memory/source`` (so forgetting a conversation cascades to the memories of
/// its messages) and `expires_at` its ``Node/expiresAt``. MEMORY-WORKLOAD.md says that before
/// the sweep an expired memory is still a record for `get`, `knn` and `knn_time`: those queries
/// read with `includingExpired`; `knn_memory` reads at `now_ms`, where the store hides what has
/// expired. Vector phases are an exact scan in Float32 until the HNSW index lands (issue 11);
/// every one of them goes through `nearest(_:to:k:namespace:filter:)`, the one place that hands
/// `ef` to the index.
public final class StrataMW1Store: MW1Store {
    public let name = "strata"
    public let supportedPhases = Set(MW1Phase.queryPhases)
    let directory: String
    /// The HNSW search breadth for every vector query (`mw1 --ef`); nil for the index's default.
    public let ef: Int?
    private var store: MemoryStore?
    static let space = EmbeddingSpace(name: "mw1", model: "mw1-generator", dimension: 384, metric: .cosine)

    /// Opens (creating) a memory store in `directory/strata`; `ef` is the HNSW search breadth of
    /// the vector queries (nil: the index's default).
    public init(directory: String, ef: Int? = nil) throws {
        self.directory = directory + "/strata"
        self.ef = ef
        try open()
        try live().define(Self.space)
    }

    deinit { try? close() }

    private func open() throws {
        store = try MemoryStore.open(at: directory)
    }

    private func live() throws -> MemoryStore {
        guard let store else { throw MW1StoreError.failed(store: name, operation: "use", message: "the store is closed") }
        return store
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    // MARK: Ingest

    public func ingest(_ transaction: MW1Transaction) throws {
        let fallback = transaction.nodes.lazy.compactMap(\.ts).first ?? 0
        try live().write { graph in
            for node in transaction.nodes {
                try graph.insert(Self.node(node, fallbackTime: fallback))
            }
            for edge in transaction.edges {
                try graph.addEdge(Edge(
                    from: NodeID(edge.from), type: EdgeType(edge.type.rawValue), to: NodeID(edge.to), weight: edge.weight,
                    validFrom: Self.date(fallback)))
            }
            if let embedding = transaction.embedding {
                try graph.setVector(Array(embedding.vector), for: NodeID(embedding.owner), in: Self.space.name)
            }
        }
    }

    static func node(_ node: MW1Node, fallbackTime: Int64) -> Node {
        switch node {
        case .conversation(let conversation):
            return Node(
                id: NodeID(conversation.id), namespace: conversation.namespace, createdAt: date(conversation.ts),
                .conversation(Conversation(title: conversation.title)))
        case .message(let message):
            return Node(
                id: NodeID(message.id), namespace: message.namespace, createdAt: date(message.ts),
                .message(Message(
                    conversation: NodeID(message.conversation), role: Message.Role(named: message.role.rawValue) ?? .user,
                    text: message.text, tokenCount: message.tokens)))
        case .entity(let entity):
            return Node(
                id: NodeID(entity.id), namespace: entity.namespace, createdAt: date(fallbackTime),
                .entity(Entity(type: Entity.EntityType(entity.type.rawValue), name: entity.name)))
        case .memory(let memory):
            return Node(
                id: NodeID(memory.id), namespace: memory.namespace, createdAt: date(memory.ts),
                expiresAt: memory.expiresAt.map(date),
                .memory(Memory(
                    kind: Memory.Kind(named: memory.memoryKind.rawValue) ?? .episodic, text: memory.text,
                    importance: memory.importance, source: NodeID(memory.source), tokenCount: memory.tokens)))
        }
    }

    public func flushDurable() throws {
        try live().database.flush()
    }

    // MARK: Record and graph queries

    public func get(id: String) throws -> MW1Node? {
        guard let node = try live().reader(includingExpired: true).node(NodeID(id)) else { return nil }
        let ts = Self.milliseconds(node.createdAt)
        switch node.content {
        case .conversation(let conversation):
            return .conversation(.init(id: id, namespace: node.namespace, title: conversation.title, ts: ts))
        case .message(let message):
            guard let role = MW1Node.Role(rawValue: message.role.name) else { return nil }
            return .message(.init(
                id: id, namespace: node.namespace, conversation: message.conversation.description, role: role, ts: ts,
                text: message.content.text, tokens: message.tokenCount))
        case .entity(let entity):
            guard let type = MW1Node.EntityType(rawValue: entity.type.name) else { return nil }
            return .entity(.init(id: id, namespace: node.namespace, type: type, name: entity.name))
        case .memory(let memory):
            guard let kind = MW1Node.MemoryKind(rawValue: memory.kind.name) else { return nil }
            return .memory(.init(
                id: id, namespace: node.namespace, memoryKind: kind, importance: memory.importance, ts: ts,
                expiresAt: node.expiresAt.map(Self.milliseconds), text: memory.text, tokens: memory.tokenCount,
                source: memory.source?.description ?? ""))
        case .summary, .custom:
            return nil
        }
    }

    public func window(conversation: String, limit: Int) throws -> [String] {
        do {
            return try live().reader(includingExpired: true).messageIDs(in: NodeID(conversation), limit: limit, reverse: true)
                .map(\.description)
        } catch let error as StrataError where error.code == .missingRecord {
            return []  // a forgotten conversation has no messages
        }
    }

    public func timerange(namespace: String, from: Int64, to: Int64, limit: Int) throws -> [String] {
        try live().reader(includingExpired: true)
            .nodeIDs(in: namespace, kind: .message, createdIn: Self.date(from)..<Self.date(to), limit: limit)
            .map(\.description)
    }

    public func mentionsOfMessage(id: String) throws -> [String] {
        try live().reader(includingExpired: true).neighbours(of: NodeID(id), type: .mentions).map(\.description)
    }

    public func messagesOfEntity(id: String, limit: Int) throws -> [String] {
        try live().reader(includingExpired: true).mentionIDs(of: NodeID(id), limit: limit).map(\.description)
    }

    public func cooccur(id: String, limit: Int) throws -> [String] {
        try live().reader(includingExpired: true).coMentioned(with: NodeID(id), inNewest: limit).map(\.entity.description)
    }

    // MARK: Vector queries (exact scan until the HNSW index)

    /// Every vector query of the driver: the reader's `nearest` in the MW1 space.
    ///
    /// ef hand-off: this is the one call to `GraphReader.nearest`. When the HNSW index lands
    /// with `nearest(to:k:in:namespace:filter:ef:)`, pass `ef: ef` here and nowhere else.
    func nearest(
        _ reader: GraphReader, to vector: ArraySlice<Float>, k: Int, namespace: String, filter: VectorFilter = .none
    ) throws -> [NodeID] {
        try reader.nearest(to: Array(vector), k: k, in: Self.space.name, namespace: namespace, filter: filter)
            .hits.map(\.id)
    }

    public func knn(namespace: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try nearest(live().reader(includingExpired: true), to: vector, k: k, namespace: namespace).map(\.description)
    }

    public func knnConversation(namespace: String, conversation: String, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try nearest(
            live().reader(includingExpired: true), to: vector, k: k, namespace: namespace,
            filter: VectorFilter(kinds: [.message], conversation: NodeID(conversation))
        ).map(\.description)
    }

    public func knnTime(namespace: String, from: Int64, to: Int64, vector: ArraySlice<Float>, k: Int) throws -> [String] {
        try nearest(
            live().reader(includingExpired: true), to: vector, k: k, namespace: namespace,
            filter: VectorFilter(kinds: [.message, .memory], createdIn: Self.date(from)..<Self.date(to))
        ).map(\.description)
    }

    public func knnMemory(
        namespace: String, memoryKind: MW1Node.MemoryKind, minImportance: Double, nowMs: Int64,
        vector: ArraySlice<Float>, k: Int
    ) throws -> [String] {
        // The importance index gives the candidates; the reader at now_ms hides the expired.
        let kind = Memory.Kind(named: memoryKind.rawValue) ?? .episodic
        return try nearest(
            live().reader(at: Self.date(nowMs)), to: vector, k: k, namespace: namespace,
            filter: VectorFilter(memoryKinds: [kind], minImportance: minImportance)
        ).map(\.description)
    }

    public func hybrid(namespace: String, vector: ArraySlice<Float>, k: Int, hops: Int) throws -> [String] {
        let reader = try live().reader(includingExpired: true)
        let messages = try nearest(reader, to: vector, k: k, namespace: namespace, filter: VectorFilter(kinds: [.message]))
        var counts: [NodeID: Int] = [:]
        for message in messages {
            for entity in try reader.expand(from: message, hops: hops, types: [.mentions]) {
                counts[entity.id, default: 0] += 1
            }
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key.description)
    }

    // MARK: Forget, expire, lifecycle

    public func forget(kind: MW1ForgetItem.Kind, id: String) throws {
        try live().forget(NodeID(id))
    }

    public func expire(nowMs: Int64) throws -> Int {
        try live().expire(now: Self.date(nowMs))
    }

    public func close() throws {
        try store?.close()
        store = nil
    }

    public func reopen() throws {
        precondition(store == nil, "reopen of an open store")
        try open()
    }

    public func bytesOnDisk() throws -> UInt64 {
        try DiskUsage.bytesOnDisk(directory)
    }
}
