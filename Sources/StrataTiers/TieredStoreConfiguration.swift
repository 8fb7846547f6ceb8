#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataGraph

extension TieredMemoryStore {
    /// Where records belong by age, and how many tiers stay open for how long (TUNING.md,
    /// "Tiers").
    public struct Configuration: Sendable {
        /// Each tier's memory store settings (its clock is replaced by ``clock``).
        public var memory: MemoryStore.Configuration
        /// Records created less than this long ago belong in `active` (30 days by default).
        public var activeAge: TimeInterval
        /// Records created less than this long ago (and at least ``activeAge``) belong in
        /// `recent`; older ones in the archive of their quarter (90 days by default).
        public var recentAge: TimeInterval
        /// The most non-active tiers open at once; opening one more closes the least recently
        /// used idle one (a tier in use by a read is never closed under it).
        public var maxOpenTiers: Int
        /// A non-active tier unused this long is closed by ``TieredMemoryStore/closeIdleTiers()``.
        public var idleClose: TimeInterval
        /// The most records one move batch carries (a unit larger than this moves alone); each
        /// batch holds the active tier's writer for one transaction at a time (256 by default).
        public var moveBatchSize: Int = 256
        /// Promotion on access: a record outside active whose access count reaches this (through
        /// ``TieredMemoryStore/recordAccess(_:)``) moves back to active with its unit; nil (the
        /// default) never promotes.
        public var promoteAfterAccesses: Int? = nil
        /// A promoting access must come within this long of the record's previous one (recency;
        /// 7 days by default).
        public var promoteWithin: TimeInterval = 7 * 86_400
        /// How the active tier picks what to demote when it holds more than ``activeCapacity``
        /// records (seed 001's `evictionStrategy`; ``EvictionStrategy/age`` by default).
        public var evictionStrategy: EvictionStrategy = .age
        /// The most records the active tier keeps: past it, ``TieredMemoryStore/migrate(maxBatches:progress:)``
        /// demotes whole units to `recent`, coldest first by ``evictionStrategy``, after the
        /// units due by age, until it holds at most this many; nil (the default): no bound.
        public var activeCapacity: Int? = nil
        /// Runs maintenance in the background (seed 001's `backgroundSync`): one thread per store
        /// runs one ``TieredMemoryStore/migrate(maxBatches:progress:)`` batch at a time (at once
        /// again while records are due) and ``TieredMemoryStore/closeIdleTiers()``, every
        /// ``syncInterval``; ``TieredMemoryStore/close()`` lets its batch finish and stops it.
        /// Off by default (the application calls `migrate` itself).
        public var backgroundSync: Bool = false
        /// Seconds of wall time between background passes when nothing is due (60 by default).
        public var syncInterval: TimeInterval = 60
        /// The clock for ages, idle times and every tier's "now" (injectable for tests).
        public var clock: @Sendable () -> Date

        /// A configuration; the defaults are 30 and 90 days, 4 open tiers, 5 minutes idle.
        public init(
            memory: MemoryStore.Configuration = .init(), activeAge: TimeInterval = 30 * 86_400,
            recentAge: TimeInterval = 90 * 86_400, maxOpenTiers: Int = 4, idleClose: TimeInterval = 300,
            clock: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.memory = memory
            self.activeAge = activeAge
            self.recentAge = recentAge
            self.maxOpenTiers = maxOpenTiers
            self.idleClose = idleClose
            self.clock = clock
        }

        /// Throws `invalidArgument` for boundaries out of order, a bound below 1, or a negative idle time.
        func validate() throws {
            guard activeAge > 0, recentAge > activeAge, activeAge.isFinite, recentAge.isFinite else {
                throw TierError.invalid("tier boundaries", "need 0 < activeAge (\(activeAge)) < recentAge (\(recentAge))")
            }
            guard maxOpenTiers >= 1 else { throw TierError.invalid("maxOpenTiers", "\(maxOpenTiers) must be at least 1") }
            if let promoteAfterAccesses, promoteAfterAccesses < 1 {
                throw TierError.invalid("promoteAfterAccesses", "\(promoteAfterAccesses) must be at least 1")
            }
            if let activeCapacity, activeCapacity < 1 {
                throw TierError.invalid("activeCapacity", "\(activeCapacity) must be at least 1")
            }
            guard moveBatchSize >= 1 else { throw TierError.invalid("moveBatchSize", "\(moveBatchSize) must be at least 1") }
            guard syncInterval > 0, syncInterval.isFinite else { throw TierError.invalid("syncInterval", "\(syncInterval) must be > 0") }
            guard idleClose >= 0, idleClose.isFinite else { throw TierError.invalid("idleClose", "\(idleClose) must be ≥ 0") }
        }

        /// The tier a record created at `createdAt` belongs in at `now`.
        public func tier(forCreatedAt createdAt: Date, now: Date) -> Tier {
            let age = now.timeIntervalSince(createdAt)
            if age < activeAge { return .active }
            if age < recentAge { return .recent }
            return .archive(holding: createdAt)
        }
    }
}

/// Which units the active tier demotes first when it is over its
/// ``TieredMemoryStore/Configuration/activeCapacity`` (seed 001: LRU, LFU, AGE). A unit is a root
/// and what hangs off it; ties go to the smaller root id.
public enum EvictionStrategy: String, Hashable, Sendable, CaseIterable {
    /// The unit whose newest record was created longest ago (accesses ignored).
    case age
    /// The unit least recently used: its latest access, or its newest record's creation if
    /// later (or never read).
    case leastRecentlyUsed
    /// The unit read least often (the sum of its records' access counts), then the least
    /// recently used.
    case leastFrequentlyUsed
}
