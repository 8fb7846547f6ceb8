#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which tiers a read may look in. Whatever the hint, a record is returned only from the tier
/// the catalog names for it (never twice, even while a move copies it).
public enum TierHint: Hashable, Sendable {
    /// The active tier only: never opens another tier.
    case active
    /// Every tier that may hold the answer: a point read asks the catalog (opening at most the one
    /// tier it names); a query opens the tiers whose time range is not known to miss.
    case any
    /// The tiers whose records' creation times overlap the range (the catalog's per-tier ranges).
    case timeRange(Range<Date>)
    /// One tier, by its name (`active`, `recent`, `2026-Q3`).
    case tier(String)
}
