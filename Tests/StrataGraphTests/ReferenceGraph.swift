import Foundation
import StrataEngine
import StrataGraph

/// The plain in-memory graph that ``GraphModelTests`` checks ``MemoryStore`` against: dictionaries
/// and linear scans, written from the documented behaviour of the public API, so that it is
/// obviously right. Nodes are kept as stored (derived fields zero); queries fill them in.
///
/// Field validation (lengths, NaN, date range) is not repeated here: the generator marks an
/// operation with a bad field with the code it must throw. Everything that depends on the
/// graph's state (unknown ids, kinds, namespaces, duplicates, dimensions) is decided here.
struct ReferenceGraph: Equatable {
    struct EdgeKey: Hashable {
        var from: NodeID
        var type: String
        var to: NodeID
    }

    var nodes: [NodeID: Node] = [:]
    var edges: [EdgeKey: Edge] = [:]
    var spaces: [String: EmbeddingSpace] = [:]
    var vectors: [NodeID: [String: [Float]]] = [:]
    /// Earlier records of each node, oldest first, at most `versionRetention`.
    var versions: [NodeID: [Node]] = [:]
    var access: [NodeID: AccessStats] = [:]
    let versionRetention: Int

    init(versionRetention: Int) { self.versionRetention = versionRetention }

    static func fail(_ code: StrataError.Code) -> StrataError { StrataError(code, "reference graph") }

    // MARK: Nodes

    /// The node as stored: derived fields cleared.
    static func stored(_ node: Node) -> Node {
        var node = node
        switch node.content {
        case .entity(var entity):
            entity.mentionCount = 0
            node.content = .entity(entity)
        case .memory(var memory):
            memory.accessCount = 0
            memory.lastAccess = nil
            node.content = .memory(memory)
        default: break
        }
        return node
    }

    mutating func insert(_ node: Node) throws -> Node {
        var node = node
        node.version = 1
        try Self.checkSelfReference(node)
        guard nodes[node.id] == nil else { throw Self.fail(.duplicateID) }
        try checkReferences(of: node)
        nodes[node.id] = Self.stored(node)
        return node
    }

    mutating func update(_ node: Node, now: Date) throws -> Node {
        guard let old = nodes[node.id] else { throw Self.fail(.missingRecord) }
        guard old.kind == node.kind else { throw Self.fail(.wrongKind) }
        guard old.namespace == node.namespace else { throw Self.fail(.namespaceMismatch) }
        var new = node
        new.createdAt = old.createdAt
        new.version = old.version + 1
        if new.updatedAt == old.updatedAt { new.updatedAt = max(now, old.updatedAt) }
        try Self.checkSelfReference(new)
        try checkReferences(of: new)
        if versionRetention > 0 {
            var kept = versions[old.id] ?? []
            kept.append(old)
            versions[old.id] = Array(kept.suffix(versionRetention))
        }
        nodes[new.id] = Self.stored(new)
        return storedForm(of: new)
    }

    /// What the store's update returns: the record with its derived fields as a transaction
    /// sees them (current mentions, access stats), expiry not considered.
    func storedForm(of node: Node) -> Node {
        var node = Self.stored(node)
        switch node.content {
        case .entity(var entity):
            entity.mentionCount = edges.filter {
                $0.key.to == node.id && $0.key.type == EdgeType.mentions.name && $0.value.validUntil == nil
            }.count
            node.content = .entity(entity)
        case .memory(var memory):
            if let stats = access[node.id] {
                memory.accessCount = stats.count
                memory.lastAccess = stats.last
            }
            node.content = .memory(memory)
        default: break
        }
        return node
    }

    /// A node may not hang off itself (a field check, made before any lookup).
    static func checkSelfReference(_ node: Node) throws {
        switch node.content {
        case .message(let message): if message.parent == node.id { throw fail(.invalidField) }
        default: if node.content.owners.contains(node.id) { throw fail(.invalidField) }
        }
    }

    private func checkReferences(of node: Node) throws {
        func referenced(_ id: NodeID, kind: NodeKind?) throws -> Node {
            guard let target = nodes[id] else { throw Self.fail(.missingRecord) }
            guard target.namespace == node.namespace else { throw Self.fail(.namespaceMismatch) }
            if let kind, target.kind != kind { throw Self.fail(.wrongKind) }
            return target
        }
        switch node.content {
        case .message(let message):
            _ = try referenced(message.conversation, kind: .conversation)
            if let parent = message.parent {
                let record = try referenced(parent, kind: .message)
                guard record.message?.conversation == message.conversation else { throw Self.fail(.invalidField) }
            }
        case .summary(let summary): _ = try referenced(summary.subject, kind: nil)
        case .memory(let memory): if let source = memory.source { _ = try referenced(source, kind: .message) }
        case .custom(let custom): if let owner = custom.owner { _ = try referenced(owner, kind: nil) }
        case .conversation, .entity: break
        }
    }

    /// Deletes `id` and, recursively, every node that names it as an owner.
    mutating func delete(_ id: NodeID) throws -> Int {
        guard nodes[id] != nil else { throw Self.fail(.missingRecord) }
        var deleted: Set<NodeID> = []
        var pending = [id]
        while let next = pending.popLast() {
            guard deleted.insert(next).inserted else { continue }
            for node in nodes.values where node.content.owners.contains(next) && !deleted.contains(node.id) {
                pending.append(node.id)
            }
        }
        for id in deleted { erase(id) }
        return deleted.count
    }

    mutating func delete(contentsOf ids: [NodeID]) throws -> Int {
        for id in ids where nodes[id] == nil { throw Self.fail(.missingRecord) }
        var count = 0
        for id in ids where nodes[id] != nil { count += try delete(id) }
        return count
    }

    private mutating func erase(_ id: NodeID) {
        edges = edges.filter { $0.key.from != id && $0.key.to != id }
        vectors[id] = nil
        versions[id] = nil
        access[id] = nil
        nodes[id] = nil
    }

    mutating func recordAccess(_ id: NodeID, at date: Date) throws {
        guard nodes[id] != nil else { throw Self.fail(.missingRecord) }
        let old = access[id]
        access[id] = AccessStats(count: (old?.count ?? 0) + 1, last: max(date, old?.last ?? date))
    }

    /// Deletes every node expired at `now`, and what hangs off them; returns how many went.
    mutating func expire(now: Date) -> Int {
        let before = nodes.count
        let due = nodes.values.filter { $0.isExpired(at: now) }.sorted { ($0.expiresAt!, $0.id) < ($1.expiresAt!, $1.id) }
        for node in due where nodes[node.id] != nil { _ = try? delete(node.id) }
        return before - nodes.count
    }

    // MARK: Edges

    mutating func addEdge(_ edge: Edge) throws {
        guard let from = nodes[edge.from] else { throw Self.fail(.missingRecord) }
        guard let to = nodes[edge.to] else { throw Self.fail(.missingRecord) }
        guard from.namespace == to.namespace else { throw Self.fail(.namespaceMismatch) }
        edges[EdgeKey(from: edge.from, type: edge.type.name, to: edge.to)] = edge
    }

    mutating func removeEdge(from: NodeID, type: EdgeType, to: NodeID) -> Bool {
        edges.removeValue(forKey: EdgeKey(from: from, type: type.name, to: to)) != nil
    }

    mutating func invalidateEdge(from: NodeID, type: EdgeType, to: NodeID, at date: Date) throws {
        let key = EdgeKey(from: from, type: type.name, to: to)
        guard var edge = edges[key] else { throw Self.fail(.missingRecord) }
        if let validFrom = edge.validFrom, date < validFrom { throw Self.fail(.invalidField) }
        edge.validUntil = date
        edges[key] = edge
    }

    // MARK: Embeddings

    mutating func define(_ space: EmbeddingSpace) throws {
        if let existing = spaces[space.name] {
            guard existing == space else { throw Self.fail(.dimensionMismatch) }
            return
        }
        spaces[space.name] = space
    }

    mutating func setVector(_ vector: [Float], for id: NodeID, in space: String) throws {
        guard let definition = spaces[space] else { throw Self.fail(.missingRecord) }
        try Self.checkVector(vector, for: definition)
        guard nodes[id] != nil else { throw Self.fail(.missingRecord) }
        vectors[id, default: [:]][space] = vector
    }

    static func checkVector(_ vector: [Float], for space: EmbeddingSpace) throws {
        guard vector.count == space.dimension else { throw fail(.dimensionMismatch) }
        guard vector.allSatisfy(\.isFinite) else { throw fail(.nonFiniteVector) }
        if space.metric == .cosine, vector.allSatisfy({ $0 == 0 }) { throw fail(.invalidField) }
    }

    mutating func removeVector(for id: NodeID, in space: String) -> Bool {
        guard nodes[id] != nil, vectors[id]?[space] != nil else { return false }
        vectors[id]?[space] = nil
        if vectors[id]?.isEmpty == true { vectors[id] = nil }
        return true
    }

    /// The view of the graph a reader at `now` has.
    func view(at now: Date, includingExpired: Bool) -> ReferenceGraphView {
        ReferenceGraphView(graph: self, now: now, includingExpired: includingExpired)
    }
}

/// Bytewise UTF-8 order, as the stored keys order strings.
func utf8Precedes(_ a: String, _ b: String) -> Bool {
    Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
}

extension ReferenceGraph {
    /// Where `self` differs from `other`, in words (for failure messages).
    func difference(from other: ReferenceGraph) -> String {
        var found: [String] = []
        for id in Set(nodes.keys).union(other.nodes.keys) where nodes[id] != other.nodes[id] {
            found.append("node \(id): \(nodes[id].map { "\($0)" } ?? "absent") vs \(other.nodes[id].map { "\($0)" } ?? "absent")")
        }
        for key in Set(edges.keys).union(other.edges.keys) where edges[key] != other.edges[key] {
            found.append("edge \(key): \(edges[key].map { "\($0)" } ?? "absent") vs \(other.edges[key].map { "\($0)" } ?? "absent")")
        }
        if spaces != other.spaces { found.append("spaces \(spaces) vs \(other.spaces)") }
        if vectors != other.vectors { found.append("vectors \(vectors) vs \(other.vectors)") }
        if versions != other.versions { found.append("versions differ") }
        if access != other.access { found.append("access \(access) vs \(other.access)") }
        return found.isEmpty ? "none" : found.prefix(4).joined(separator: "; ")
    }
}

/// The counts of a ``GraphStatistics`` (which has no public initializer), to compare with the reference's.
struct StatisticsCounts: Equatable, CustomStringConvertible {
    var nodes: [String: [String: Int]] = [:]
    var edges: [String: Int] = [:]
    var vectors: [String: [String: Int]] = [:]
    var spaces: [EmbeddingSpace] = []
    var expiring = 0
    var versions = 0

    init() {}

    init(_ statistics: GraphStatistics) {
        (nodes, edges, vectors, spaces) = (statistics.nodes, statistics.edges, statistics.vectors, statistics.spaces)
        (expiring, versions) = (statistics.expiring, statistics.versions)
    }

    var description: String {
        "nodes \(nodes), edges \(edges), vectors \(vectors), spaces \(spaces.map(\.name)), expiring \(expiring), versions \(versions)"
    }
}

extension ReferenceGraph {
    /// What ``MemoryStore/statistics()`` must count: every stored node (expired or not) by
    /// namespace and kind, edges by type, vectors by their node's namespace and space, the
    /// spaces (by name), nodes with an expiry and earlier versions kept.
    var statistics: StatisticsCounts {
        var statistics = StatisticsCounts()
        for node in nodes.values {
            statistics.nodes[node.namespace, default: [:]][node.kind.name, default: 0] += 1
            if node.expiresAt != nil { statistics.expiring += 1 }
        }
        for key in edges.keys { statistics.edges[key.type, default: 0] += 1 }
        for (id, spaces) in vectors {
            for space in spaces.keys { statistics.vectors[nodes[id]?.namespace ?? "(none)", default: [:]][space, default: 0] += 1 }
        }
        statistics.spaces = self.spaces.values.sorted { $0.name < $1.name }
        statistics.versions = versions.values.reduce(0) { $0 + $1.count }
        return statistics
    }
}
