#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

/// What ``TieredMemoryStore/compactColdTiers(rounds:)`` did to one tier.
public struct TierCompaction: Hashable, Sendable {
    /// The tier.
    public var tier: Tier
    /// Checkpoints run.
    public var checkpoints: Int
    /// Segments the checkpoints' GC collected.
    public var segmentsCollected: Int
}

extension TieredMemoryStore {
    /// Compacts every non-active tier the catalog lists: checkpoints it until segment GC has
    /// nothing left (at most `rounds` checkpoints per tier), reclaiming what moves out left.
    public func compactColdTiers(rounds: Int = 16) throws -> [TierCompaction] {
        guard rounds >= 1 else { throw TierError.invalid("rounds", "\(rounds) must be at least 1") }
        return try catalog.summaries().map { summary in
            try withTier(summary.tier, writable: true) { store in
                var result = TierCompaction(tier: summary.tier, checkpoints: 0, segmentsCollected: 0)
                while result.checkpoints < rounds, let report = try store.database.checkpoint() {
                    result.checkpoints += 1
                    result.segmentsCollected += report.segmentsCollected
                    if report.segmentsCollected == 0 { break }
                }
                return result
            } ?? TierCompaction(tier: summary.tier, checkpoints: 0, segmentsCollected: 0)
        }
    }

    /// Records that the application read `id` (in whatever tier holds it). With
    /// ``Configuration/promoteAfterAccesses`` set, a record outside active read that many times
    /// (its access count in its tier) within ``Configuration/promoteWithin`` of its previous
    /// read moves back to active with its unit. Returns the tier it is in afterwards.
    ///
    /// - Throws: `missingRecord` for an id no tier holds.
    @discardableResult
    public func recordAccess(_ id: NodeID) throws -> Tier {
        let tier = try catalog.tier(of: id)
        guard tier != .active else {
            try active.recordAccess(id)
            return .active
        }
        let now = configuration.clock()
        let previous = try withTier(tier, writable: true) { store -> AccessStats? in
            let previous = try store.reader(includingExpired: true).accessStats(of: id)
            try store.recordAccess(id, at: now)
            return previous
        } ?? nil
        guard let threshold = configuration.promoteAfterAccesses,
              let count = previous.map({ Int($0.count) + 1 }), count >= threshold,
              let last = previous?.last, now.timeIntervalSince(last) <= configuration.promoteWithin
        else { return tier }
        let root = try withTier(tier) { store in
            let reader = try store.reader(includingExpired: true)
            var root = id
            while let owner = try reader.export(root)?.node().content.owners.first(where: { try reader.export($0) != nil }) {
                root = owner
            }
            return root
        } ?? id
        return try move([root], to: .active) ? .active : tier
    }
}
