#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

extension TieredMemoryStore {
    /// The tiers a read with `hint` (and a query over `range`, if given) may look in, in search
    /// order; only tiers the catalog lists (so a hint naming an empty tier opens nothing).
    ///
    /// - Throws: `unknownTier` for a bad tier name, `invalidArgument` for an empty time range.
    func tiers(for hint: TierHint, overlapping range: Range<Date>? = nil) throws -> [Tier] {
        if let range { try Self.check(range) }
        let listed = try catalog.summaries()
        func overlaps(_ summary: TierSummary, _ range: Range<Date>?) -> Bool {
            guard let range, let span = summary.createdRange else { return range == nil || summary.createdRange != nil }
            return span.lowerBound < range.upperBound && range.lowerBound <= span.upperBound
        }
        switch hint {
        case .active:
            return [.active]
        case .tier(let name):
            let tier = try Tier(named: name)
            return tier == .active || listed.contains(where: { $0.tier == tier }) ? [tier] : []
        case .any:
            return [.active] + listed.filter { overlaps($0, range) }.map(\.tier)
        case .timeRange(let hinted):
            try Self.check(hinted)
            return [.active] + listed.filter { overlaps($0, hinted) && overlaps($0, range) }.map(\.tier)
        }
    }

    static func check(_ range: Range<Date>) throws {
        guard !range.isEmpty, range.lowerBound.timeIntervalSince1970.isFinite, range.upperBound.timeIntervalSince1970.isFinite else {
            throw TierError.invalid("time range", "\(range) is empty or not finite")
        }
    }

    /// Whether the catalog names `tier` for `id`: a result from any other tier is dropped.
    func owns(_ tier: Tier, _ id: NodeID) throws -> Bool {
        try catalog.tier(of: id) == tier
    }

    /// The node `id` from the tier the catalog names for it, if `hint` allows that tier (for
    /// ``TierHint/timeRange(_:)``: if the node was created in the range). Opens at most that
    /// one tier; an id nobody holds opens none.
    public func node(_ id: NodeID, in namespace: String? = nil, hint: TierHint = .any) throws -> Node? {
        try stableRead {
            let tier = try catalog.tier(of: id)
            switch hint {
            case .active: guard tier == .active else { return nil }
            case .tier(let name): guard try Tier(named: name) == tier else { return nil }
            case .timeRange(let range): try Self.check(range)
            case .any: break
            }
            let node = try withTier(tier) { try $0.node(id, in: namespace) } ?? nil
            if case .timeRange(let range) = hint, let node, !range.contains(node.createdAt) { return nil }
            return try node.map(withCrossingMentions)
        }
    }

    /// `node` with an entity's mention count raised by the current `mentions` edges that reach
    /// it from other tiers (its tier's count knows only its own).
    func withCrossingMentions(_ node: Node) throws -> Node {
        guard case .entity(var entity) = node.content else { return node }
        let snapshot = try active.database.snapshot()
        let crossing = try liveCrossingEdges(touching: [node.id], in: snapshot).filter {
            try $0.to == node.id && $0.type == .mentions && $0.validUntil == nil && catalog.tier(of: $0.from) != catalog.tier(of: $0.to)
        }
        guard !crossing.isEmpty else { return node }
        entity.mentionCount += crossing.count
        var node = node
        node.content = .entity(entity)
        return node
    }

    /// The nodes of `namespace` (of `kind`, if given) created in `range` (or ever), across the
    /// tiers `hint` allows, in time order (`reverse`: newest first; ties by id), at most `limit`.
    public func nodes(
        in namespace: String, kind: NodeKind? = nil, createdIn range: Range<Date>? = nil, limit: Int = .max,
        reverse: Bool = false, hint: TierHint = .any
    ) throws -> [Node] {
        try stableRead {
            guard limit >= 0 else { throw TierError.invalid("limit", "\(limit) must be ≥ 0") }
            var merged: [Node] = []
            for tier in try tiers(for: hint, overlapping: range) {
                let found = try withTier(tier) {
                    try $0.reader().nodes(in: namespace, kind: kind, createdIn: range, limit: limit, reverse: reverse)
                } ?? []
                merged += try found.filter { try owns(tier, $0.id) }.map(withCrossingMentions)
            }
            merged.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            if reverse { merged.reverse() }
            return Array(merged.prefix(limit))
        }
    }

    /// The messages of `conversation` (from the tier holding it: a conversation moves with its
    /// messages), those created in `range` if given, in time order, at most `limit`; nil when
    /// `hint` excludes the conversation's tier or the tier holds no such conversation.
    public func messages(
        in conversation: NodeID, range: Range<Date>? = nil, limit: Int = .max, reverse: Bool = false,
        hint: TierHint = .any
    ) throws -> [Node]? {
        try stableRead {
            guard try node(conversation, hint: hint.forOwner) != nil else { return nil }
            let tier = try catalog.tier(of: conversation)
            return try withTier(tier) {
                try $0.reader().messages(in: conversation, range: range, limit: limit, reverse: reverse).filter { try owns(tier, $0.id) }
            }
        }
    }

    /// The edges of `id` valid now: those inside the tier holding it (both ends there by the
    /// catalog) and those crossing to another tier (the crossing tree in the active database),
    /// each once (ARCHITECTURE.md, "Edges across tiers"). Outgoing first, then incoming.
    public func edges(
        of id: NodeID, type: EdgeType? = nil, direction: EdgeDirection = .outgoing, hint: TierHint = .any
    ) throws -> [Edge] {
        try stableRead {
            guard try node(id, hint: hint.forOwner) != nil else { return [] }
            let tier = try catalog.tier(of: id)
            let inside = try withTier(tier) { try $0.reader().edges(of: id, type: type, direction: direction) } ?? []
            var result = try inside.filter { edge in try catalog.tier(of: edge.from == id ? edge.to : edge.from) == tier }
            let now = configuration.clock()
            let snapshot = try active.database.snapshot()
            for edge in try liveCrossingEdges(touching: [id], in: snapshot) {
                guard type == nil || edge.type == type, edge.isValid(at: now) else { continue }
                guard (edge.from == id && direction != .incoming) || (edge.to == id && direction != .outgoing) else { continue }
                guard try catalog.tier(of: edge.from) != catalog.tier(of: edge.to) else { continue }
                result.append(edge)
            }
            return result.sorted { ($0.from == id ? 0 : 1, $0.type.name, $0.to, $0.from) < ($1.from == id ? 0 : 1, $1.type.name, $1.to, $1.from) }
        }
    }

    /// The `k` nodes nearest `query` across the tiers `hint` allows: each tier's own top-k
    /// (dropping hits the catalog places elsewhere, and asking that tier again for more if it
    /// dropped any), merged by distance, ties by id. `filterExhausted` is true only when every
    /// tier searched ran out of candidates; `scanned` sums the tiers'.
    ///
    /// - Throws: `invalidArgument` for k < 1; `missingRecord` when no searched tier defines
    ///   `space`; what ``GraphReader/nearest(to:k:in:namespace:filter:)`` throws for a bad query.
    public func nearest(
        to query: [Float], k: Int, in space: String, namespace: String, filter: VectorFilter = .none,
        hint: TierHint = .any
    ) throws -> TieredVectorResult {
        try stableRead {
            guard k >= 1 else { throw TierError.invalid("k", "\(k) must be at least 1") }
            var hits: [VectorHit] = []
            var scanned = 0
            var exhausted = true
            var spaceFound = false
            for tier in try tiers(for: hint, overlapping: filter.createdIn) {
                let result: VectorSearchResult? = try withTier(tier) { store in
                    let reader = try store.reader()
                    guard try reader.space(named: space) != nil else { return nil }
                    var want = k
                    while true {
                        var result = try reader.nearest(to: query, k: want, in: space, namespace: namespace, filter: filter)
                        let all = result.hits.count
                        result.hits = try result.hits.filter { try owns(tier, $0.id) }
                        if result.hits.count >= k || result.filterExhausted || all == result.hits.count { return result }
                        want += all - result.hits.count
                    }
                } ?? nil
                guard let result else { continue }
                spaceFound = true
                hits += result.hits
                scanned += result.scanned
                exhausted = exhausted && result.filterExhausted
            }
            guard spaceFound else { throw StrataError(.missingRecord, "no tier searched defines the embedding space \(space)") }
            hits.sort { ($0.distance, $0.id) < ($1.distance, $1.id) }
            return TieredVectorResult(hits: Array(hits.prefix(k)), scanned: scanned, filterExhausted: exhausted && hits.count < k)
        }
    }
}

/// What a vector search across tiers found (``TieredMemoryStore/nearest(to:k:in:namespace:filter:hint:)``).
public struct TieredVectorResult: Sendable {
    /// The nearest nodes over every tier searched, nearest first (ties by id).
    public var hits: [VectorHit]
    /// How many candidate vectors were compared, over all tiers.
    public var scanned: Int
    /// True when fewer than `k` hits came back because every tier searched ran out of nodes
    /// passing the filter.
    public var filterExhausted: Bool
}

extension TierHint {
    /// The hint for finding the record a query hangs off: a time range constrains the query's
    /// results, not its owner's creation time.
    var forOwner: TierHint {
        if case .timeRange = self { return .any }
        return self
    }
}
