import Foundation
import StrataEngine
import StrataGraph

/// The queries of ``GraphReader``, answered from a ``ReferenceGraph`` by scanning everything:
/// a node expired at ``now`` is hidden from every answer unless ``includingExpired``.
struct ReferenceGraphView {
    let graph: ReferenceGraph
    let now: Date
    let includingExpired: Bool

    static func fail(_ code: StrataError.Code) -> StrataError { ReferenceGraph.fail(code) }

    func isVisible(_ id: NodeID) -> Bool {
        guard let node = graph.nodes[id] else { return false }
        return includingExpired || !node.isExpired(at: now)
    }

    /// Time order: creation time, then id.
    static func timeOrder(_ a: Node, _ b: Node) -> Bool {
        a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id
    }

    /// The node with its derived fields filled in.
    func filled(_ node: Node) -> Node {
        var node = node
        switch node.content {
        case .entity(var entity):
            // The store's counter counts current (never invalidated) mentions; a reader hiding
            // expired nodes while some await the sweep counts the mentions it returns.
            let anyExpired = !includingExpired && graph.nodes.values.contains { $0.isExpired(at: now) }
            if anyExpired {
                entity.mentionCount = (try? mentionIDs(of: node.id).count) ?? 0
            } else {
                entity.mentionCount = graph.edges.filter {
                    $0.key.to == node.id && $0.key.type == EdgeType.mentions.name && $0.value.validUntil == nil
                }.count
            }
            node.content = .entity(entity)
        case .memory(var memory):
            if let stats = graph.access[node.id] {
                memory.accessCount = stats.count
                memory.lastAccess = stats.last
            }
            node.content = .memory(memory)
        default: break
        }
        return node
    }

    func node(_ id: NodeID, in namespace: String? = nil) throws -> Node? {
        guard isVisible(id), let node = graph.nodes[id] else { return nil }
        if let namespace, node.namespace != namespace { throw Self.fail(.namespaceMismatch) }
        return filled(node)
    }

    /// Whether `node` is in `namespace` and of `kind` (by name, as the kind index keys it).
    static func matches(_ node: Node, _ namespace: String, _ kind: NodeKind?) -> Bool {
        node.namespace == namespace && (kind.map { node.kind.name == $0.name } ?? true)
    }

    var visibleNodes: [Node] { graph.nodes.values.filter { isVisible($0.id) } }

    func messageIDs(
        in conversation: NodeID, namespace: String? = nil, range: Range<Date>? = nil, limit: Int = .max, reverse: Bool = false
    ) throws -> [NodeID] {
        guard let record = try node(conversation, in: namespace) else { throw Self.fail(.missingRecord) }
        guard record.kind == .conversation else { throw Self.fail(.wrongKind) }
        guard limit >= 0 else { throw Self.fail(.invalidField) }
        var found = visibleNodes.filter { $0.message?.conversation == conversation }
            .filter { range?.contains($0.createdAt) ?? true }
            .sorted(by: Self.timeOrder)
        if reverse { found.reverse() }
        return Array(found.prefix(limit).map(\.id))
    }

    func nodeIDs(
        in namespace: String, kind: NodeKind? = nil, createdIn range: Range<Date>? = nil, limit: Int = .max,
        reverse: Bool = false
    ) throws -> [NodeID] {
        guard limit >= 0 else { throw Self.fail(.invalidField) }
        var found = visibleNodes.filter { Self.matches($0, namespace, kind) }
            .filter { range?.contains($0.createdAt) ?? true }
            .sorted(by: Self.timeOrder)
        if reverse { found.reverse() }
        return Array(found.prefix(limit).map(\.id))
    }

    func memoryIDs(in namespace: String, kind: Memory.Kind? = nil, minImportance: Double = 0, limit: Int = .max) throws -> [NodeID] {
        guard limit >= 0 else { throw Self.fail(.invalidField) }
        guard minImportance.isFinite else { throw Self.fail(.invalidField) }
        let found = visibleNodes.filter { node in
            guard node.namespace == namespace, let memory = node.memory else { return false }
            return (kind.map { $0 == memory.kind } ?? true) && memory.importance >= minImportance
        }.sorted { a, b in
            let (x, y) = (a.memory!.importance, b.memory!.importance)
            return x != y ? x > y : a.id < b.id
        }
        return Array(found.prefix(limit).map(\.id))
    }

    func entityIDs(named name: String, in namespace: String) -> [NodeID] {
        let folded = name.lowercased()
        return visibleNodes.filter { node in
            guard node.namespace == namespace, let entity = node.entity else { return false }
            return ([entity.name] + entity.aliases).contains { $0.lowercased() == folded }
        }.map(\.id).sorted()
    }

    func dependentIDs(of id: NodeID) -> [NodeID] {
        visibleNodes.filter { $0.content.owners.contains(id) }.map(\.id).sorted()
    }

    func count(in namespace: String, kind: NodeKind? = nil) -> Int {
        visibleNodes.filter { Self.matches($0, namespace, kind) }.count
    }

    // MARK: Edges

    func edges(of id: NodeID, type: EdgeType? = nil, direction: EdgeDirection = .outgoing, includingInvalidated: Bool = false) -> [Edge] {
        guard isVisible(id) else { return [] }
        let candidates = graph.edges.values.filter { edge in
            (type.map { $0.name == edge.type.name } ?? true) && (includingInvalidated || edge.isValid(at: now))
        }
        var result: [Edge] = []
        if direction != .incoming {
            result += candidates.filter { $0.from == id && isVisible($0.to) }.sorted { a, b in
                a.type.name != b.type.name ? utf8Precedes(a.type.name, b.type.name) : a.to < b.to
            }
        }
        if direction != .outgoing {
            result += candidates.filter { $0.to == id && isVisible($0.from) }.sorted { a, b in
                if a.type.name != b.type.name { return utf8Precedes(a.type.name, b.type.name) }
                let (x, y) = (graph.nodes[a.from]!.createdAt, graph.nodes[b.from]!.createdAt)
                return x != y ? x < y : a.from < b.from
            }
        }
        return result
    }

    func neighbours(of id: NodeID, type: EdgeType? = nil, direction: EdgeDirection = .outgoing) -> [NodeID] {
        var seen: Set<NodeID> = []
        return edges(of: id, type: type, direction: direction).compactMap { edge in
            let other = edge.from == id ? edge.to : edge.from
            return seen.insert(other).inserted ? other : nil
        }
    }

    func expand(from start: NodeID, hops: Int, types: [EdgeType]?, direction: EdgeDirection, limit: Int) throws -> [Reached] {
        guard hops >= 1, limit >= 0 else { throw Self.fail(.invalidField) }
        guard isVisible(start) else { throw Self.fail(.missingRecord) }
        var visited: Set<NodeID> = [start]
        var frontier = [start]
        var result: [Reached] = []
        for depth in 1...hops {
            var next: [NodeID] = []
            for current in frontier {
                let reached = types.map { $0.flatMap { neighbours(of: current, type: $0, direction: direction) } }
                    ?? neighbours(of: current, direction: direction)
                for id in reached where visited.insert(id).inserted {
                    result.append(Reached(id: id, depth: depth, via: current))
                    if result.count == limit { return result }
                    next.append(id)
                }
            }
            frontier = next
            if frontier.isEmpty { break }
        }
        return result
    }

    /// The sources of valid `MENTIONS` edges to `entity`, newest source first (ties: larger id first).
    func mentionIDs(of entity: NodeID, limit: Int = .max) throws -> [NodeID] {
        guard limit >= 0 else { throw Self.fail(.invalidField) }
        guard isVisible(entity) else { return [] }
        let sources = graph.edges.values
            .filter { $0.to == entity && $0.type.name == EdgeType.mentions.name && $0.isValid(at: now) && isVisible($0.from) }
            .map { graph.nodes[$0.from]! }
            .sorted(by: Self.timeOrder)
        return Array(sources.reversed().prefix(limit).map(\.id))
    }

    func coMentioned(with entity: NodeID, inNewest limit: Int) throws -> [(entity: NodeID, count: Int)] {
        var counts: [NodeID: Int] = [:]
        for message in try mentionIDs(of: entity, limit: limit) {
            for other in neighbours(of: message, type: .mentions) where other != entity { counts[other, default: 0] += 1 }
        }
        return counts.map { (entity: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.entity < $1.entity }
    }

    // MARK: Versions, access, vectors

    func versions(of id: NodeID) -> [Node] {
        guard isVisible(id), let current = graph.nodes[id] else { return [] }
        return (graph.versions[id] ?? []) + [filled(current)]
    }

    func accessStats(of id: NodeID) -> AccessStats? {
        isVisible(id) ? graph.access[id] : nil
    }

    func vector(of id: NodeID, in space: String) throws -> [Float]? {
        guard graph.spaces[space] != nil else { throw Self.fail(.missingRecord) }
        return isVisible(id) ? graph.vectors[id]?[space] : nil
    }

    /// Exact nearest neighbours among the visible nodes of `namespace` that pass `filter` (each of
    /// its conditions applied here as ``VectorFilter`` documents it; the predicate sees the node
    /// as queries return it).
    func nearest(
        to query: [Float], k: Int, in space: String, namespace: String, filter: VectorFilter
    ) throws -> (hits: [Hit], scanned: Int, exhausted: Bool) {
        guard let definition = graph.spaces[space] else { throw Self.fail(.missingRecord) }
        try ReferenceGraph.checkVector(query, for: definition)
        guard k >= 1 else { throw Self.fail(.invalidField) }
        var hits: [Hit] = []
        for node in visibleNodes where node.namespace == namespace {
            guard let vector = graph.vectors[node.id]?[space] else { continue }
            if let kinds = filter.kinds, !kinds.contains(node.kind) { continue }
            if let conversation = filter.conversation, node.message?.conversation != conversation { continue }
            if let createdIn = filter.createdIn, !createdIn.contains(node.createdAt) { continue }
            if filter.memoryKinds != nil || filter.minImportance != nil {
                guard let memory = node.memory else { continue }
                if let memoryKinds = filter.memoryKinds, !memoryKinds.contains(memory.kind) { continue }
                if let minimum = filter.minImportance, memory.importance < minimum { continue }
            }
            if let predicate = filter.predicate, !predicate(filled(node)) { continue }
            hits.append(Hit(id: node.id, distance: Self.distance(query, vector, definition.metric)))
        }
        hits.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        return (Array(hits.prefix(k)), hits.count, hits.count < k)
    }

    /// The metric in Float32, computed as the store does; exact for the small integer vectors
    /// the generator makes, so the order (ties by id) is the same.
    static func distance(_ a: [Float], _ b: [Float], _ metric: DistanceMetric) -> Float {
        var dot: Float = 0
        var normA: Float = 0
        var normB: Float = 0
        var squares: Float = 0
        for (x, y) in zip(a, b) {
            dot += x * y
            normA += x * x
            normB += y * y
            squares += (x - y) * (x - y)
        }
        switch metric {
        case .cosine:
            let denominator = (normA * normB).squareRoot()
            return denominator > 0 ? 1 - dot / denominator : 1
        case .dot: return -dot
        case .l2: return squares
        }
    }
}

/// One node an expansion reached (``Expansion``, comparable in tests).
struct Reached: Hashable {
    var id: NodeID
    var depth: Int
    var via: NodeID
}

/// One vector search hit (``VectorHit``'s fields).
struct Hit: Hashable {
    var id: NodeID
    var distance: Float
}
