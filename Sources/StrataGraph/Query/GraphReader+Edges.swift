#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// A node reached by ``GraphReader/expand(from:hops:types:direction:limit:)``.
public struct Expansion: Hashable, Sendable {
    /// The node reached.
    public var id: NodeID
    /// How many edges from the start (1 ... hops).
    public var depth: Int
    /// The node it was first reached from.
    public var via: NodeID
}

extension GraphReader {
    /// The edges of `id` in `direction` (of `type`, or every type). Outgoing edges come ordered
    /// by type, then target id; incoming ones by type, then the source's creation time. Edges
    /// not valid at ``now`` are skipped unless `includingInvalidated`; edges to or from an
    /// expired node are skipped unless the reader includes expired nodes.
    public func edges(
        of id: NodeID, type: EdgeType? = nil, direction: EdgeDirection = .outgoing, includingInvalidated: Bool = false
    ) throws -> [Edge] {
        guard try isVisible(id) else { return [] }
        var result: [Edge] = []
        if direction != .incoming {
            for edge in try view.outgoingEdges(of: id, type: type) where includingInvalidated || edge.isValid(at: now) {
                if try isVisible(edge.to) { result.append(edge) }
            }
        }
        if direction != .outgoing {
            for (from, edgeType) in try view.incomingEntries(of: id, type: type) {
                guard let edge = try view.edge(from: from, type: edgeType, to: id) else {
                    throw GraphError.corruption("incoming entry \(from) -\(edgeType)-> \(id) has no edge")
                }
                if (includingInvalidated || edge.isValid(at: now)), try isVisible(from) { result.append(edge) }
            }
        }
        return result
    }

    /// The ids at the other end of ``edges(of:type:direction:includingInvalidated:)`` (each once,
    /// in the order of first appearance).
    public func neighbours(of id: NodeID, type: EdgeType? = nil, direction: EdgeDirection = .outgoing) throws -> [NodeID] {
        if direction == .outgoing {
            guard try isVisible(id) else { return [] }
            var seen: Set<NodeID> = []
            return try view.outgoingTargets(of: id, type: type, validAt: now).filter {
                try (type != nil || seen.insert($0).inserted) && isVisible($0)
            }
        }
        var seen: Set<NodeID> = []
        return try edges(of: id, type: type, direction: direction).compactMap { edge in
            let other = edge.from == id ? edge.to : edge.from
            return seen.insert(other).inserted ? other : nil
        }
    }

    /// The nodes within `hops` edges of `start` (breadth first, each node once, the start not
    /// included), following edges of `types` (or every type) in `direction`, at most `limit`.
    ///
    /// - Throws: `invalidField` for `hops` < 1 or a negative limit; `missingRecord` for an unknown start.
    public func expand(
        from start: NodeID, hops: Int, types: [EdgeType]? = nil, direction: EdgeDirection = .outgoing,
        limit: Int = 1000
    ) throws -> [Expansion] {
        guard hops >= 1 else { throw GraphError.invalidField("hops", "\(hops) must be at least 1") }
        try checkLimit(limit)
        guard try node(start) != nil else { throw GraphError.missingNode(start) }
        var visited: Set<NodeID> = [start]
        var frontier = [start]
        var result: [Expansion] = []
        for depth in 1...hops {
            var next: [NodeID] = []
            for current in frontier {
                let reached = try types.map { try $0.flatMap { try neighbours(of: current, type: $0, direction: direction) } }
                    ?? neighbours(of: current, direction: direction)
                for id in reached where visited.insert(id).inserted {
                    result.append(Expansion(id: id, depth: depth, via: current))
                    if result.count == limit { return result }
                    next.append(id)
                }
            }
            frontier = next
            if frontier.isEmpty { break }
        }
        return result
    }

    /// The entities a message mentions (``EdgeType/mentions``), by entity id.
    public func entities(mentionedBy message: NodeID) throws -> [Node] {
        try records(neighbours(of: message, type: .mentions, direction: .outgoing))
    }

    /// The nodes that mention `entity` (``EdgeType/mentions``), newest first, at most `limit`.
    public func mentions(of entity: NodeID, limit: Int = .max) throws -> [Node] {
        try records(mentionIDs(of: entity, limit: limit))
    }

    /// The ids ``mentions(of:limit:)`` returns.
    public func mentionIDs(of entity: NodeID, limit: Int = .max) throws -> [NodeID] {
        try checkLimit(limit)
        guard try isVisible(entity) else { return [] }
        var result: [NodeID] = []
        let prefix = GraphKey.id(entity, EdgeType.mentions.name)
        var cursor = try view.incoming.scan(prefix: prefix, reverse: true)
        while result.count < limit, let entry = try cursor.next() {
            // (to, type) is the prefix, then the source's creation time, then the source.
            let from = try KeyIDReader.id(in: entry.key, at: prefix.count + KeyIDReader.orderedElementWidth)
            guard try isVisible(from) else { continue }
            guard try EdgeCodec.validityHolds(entry.value, at: now, context: "incoming entry \(from) -> \(entity)") else { continue }
            result.append(from)
        }
        return result
    }

    /// The entities mentioned together with `entity` in its newest `limit` mentioning messages,
    /// with how many of those messages mention each: most first, ties by id.
    public func coMentioned(with entity: NodeID, inNewest limit: Int = 100) throws -> [(entity: NodeID, count: Int)] {
        var counts: [NodeID: Int] = [:]
        for message in try mentionIDs(of: entity, limit: limit) {
            for other in try neighbours(of: message, type: .mentions) where other != entity {
                counts[other, default: 0] += 1
            }
        }
        return counts.map { (entity: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.entity < $1.entity }
    }
}
