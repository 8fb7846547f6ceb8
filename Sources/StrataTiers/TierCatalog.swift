#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

/// What a tier holds, as the catalog records it: how many records and the span of their
/// creation times (a superset: moves out never narrow it).
public struct TierSummary: Hashable, Sendable {
    /// The tier.
    public var tier: Tier
    /// How many catalogued records (nodes) the tier holds.
    public var count: Int
    /// The earliest and latest creation time of a record moved in (nil if none ever was).
    public var createdRange: ClosedRange<Date>?
}

/// The persisted catalog, in two trees of the active tier's database (FORMAT.md, "Tier
/// catalog"): `tiers.catalog` maps the id of every record outside `active` to its tier, and
/// `tiers.ranges` gives each non-active tier's count and time span. A record the catalog does
/// not name is in `active`; so a miss costs one key lookup and opens no other tier.
struct TierCatalog: Sendable {
    static let owner = TreeOwner("strata.tiers")

    /// `(id)` → `(tier name)`.
    let records: Tree
    /// `(tier name)` → `(count, earliest, latest)`.
    let ranges: Tree
    let database: Database

    static func open(in database: Database) throws -> TierCatalog {
        TierCatalog(
            records: try database.ownedTree("tiers.catalog", owner: owner),
            ranges: try database.ownedTree("tiers.ranges", owner: owner), database: database)
    }

    /// The tier the catalog names for `id` (`active` when it names none).
    func tier(of id: NodeID) throws -> Tier {
        guard let value = try records.get(TupleKey(id).bytes) else { return .active }
        return try Tier(named: TupleKey(decoding: value).value(at: 0, as: String.self))
    }

    /// Every non-active tier the catalog knows, in search order.
    func summaries() throws -> [TierSummary] {
        var cursor = try ranges.range(.unbounded, .unbounded)
        var result: [TierSummary] = []
        while let entry = try cursor.next() {
            let key = try TupleKey(decoding: entry.key)
            let value = try TupleKey(decoding: entry.value)
            let count = try value.value(at: 0, as: Int64.self)
            let range: ClosedRange<Date>? = value.count == 3
                ? try value.value(at: 1, as: Date.self)...value.value(at: 2, as: Date.self) : nil
            result.append(TierSummary(tier: try Tier(named: key.value(at: 0, as: String.self)), count: Int(count), createdRange: range))
        }
        return result.sorted { $0.tier < $1.tier }
    }

    /// Records in `transaction` that `nodes` (moved out of `source`) now live in `target`,
    /// adjusting both tiers' counts and widening the target's span.
    func recordMove(of nodes: [Node], from source: Tier, to target: Tier, in transaction: Transaction) throws {
        guard !nodes.isEmpty, source != target else { return }
        for node in nodes {
            if target == .active {
                try transaction.remove(TupleKey(node.id).bytes, from: records)
            } else {
                try transaction.insert(TupleKey(target.name).bytes, forKey: TupleKey(node.id).bytes, in: records)
            }
        }
        if source != .active { try adjust(source, by: -nodes.count, covering: [], in: transaction) }
        if target != .active { try adjust(target, by: nodes.count, covering: nodes.map(\.createdAt), in: transaction) }
    }

    /// Records in `transaction` that `ids` (held by `tier`, not active) no longer exist.
    func recordRemoval(of ids: [NodeID], from tier: Tier, in transaction: Transaction) throws {
        guard tier != .active, !ids.isEmpty else { return }
        for id in ids { try transaction.remove(TupleKey(id).bytes, from: records) }
        try adjust(tier, by: -ids.count, covering: [], in: transaction)
    }

    private func adjust(_ tier: Tier, by delta: Int, covering dates: [Date], in transaction: Transaction) throws {
        let key = TupleKey(tier.name).bytes
        var count: Int64 = 0
        var earliest = dates.min(), latest = dates.max()
        if let stored = try transaction[ranges].get(key) {
            let value = try TupleKey(decoding: stored)
            count = try value.value(at: 0, as: Int64.self)
            if value.count == 3 {
                let low = try value.value(at: 1, as: Date.self), high = try value.value(at: 2, as: Date.self)
                earliest = min(earliest ?? low, low)
                latest = max(latest ?? high, high)
            }
        }
        count = max(0, count + Int64(delta))
        let value = if let earliest, let latest { TupleKey(count, earliest, latest) } else { TupleKey(count) }
        try transaction.insert(value.bytes, forKey: key, in: ranges)
    }
}
