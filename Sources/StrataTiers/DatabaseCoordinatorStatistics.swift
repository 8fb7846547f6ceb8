import StrataEngine
import StrataGraph

/// The state of one of the coordinator's databases.
public enum DatabaseHealth: Sendable {
    /// Open and working.
    case available
    /// Could not be opened, or failed in use (the typed cause); its queries throw
    /// `knowledgeUnavailable` until ``DatabaseCoordinator/rebuildKnowledge()``.
    case unavailable(StrataError)
    /// Open, but not the database the source was enriched into (deleted, replaced): its
    /// knowledge is incomplete until ``DatabaseCoordinator/rebuildKnowledge()``.
    case needsRebuild(String)

    /// Whether the database can be read and written.
    public var isAvailable: Bool {
        if case .unavailable = self { return false }
        return true
    }
}

/// One database as ``DatabaseCoordinator/statistics()`` reports it.
public struct DatabaseStatus: Sendable {
    /// Whether it works.
    public var health: DatabaseHealth
    /// Its tiers (nil when it is unavailable).
    public var tiers: TieredStatistics?
    /// The tiers whose last read through the coordinator failed, with the typed error (a later
    /// successful read of that tier clears it).
    public var tierFailures: [Tier: StrataError]
}

/// What the coordinator is doing (``DatabaseCoordinator/statistics()``).
public struct CoordinatorStatistics: Sendable {
    /// Queued enrichment tasks by priority (every priority listed).
    public var pending: [EnrichmentPriority: Int]
    /// Tasks set aside after failing ``DatabaseCoordinator/Configuration/maxAttempts`` times.
    public var failedTasks: Int
    /// The source database.
    public var conversations: DatabaseStatus
    /// The derived database.
    public var knowledge: DatabaseStatus
    /// The background enrichment worker's state (nil unless
    /// ``DatabaseCoordinator/Configuration/backgroundEnrichment``); its items are tasks taken.
    public var enrichmentWorker: BackgroundStatus?

    /// All queued tasks.
    public var pendingTotal: Int { pending.values.reduce(0, +) }
}

extension DatabaseCoordinator {
    /// How many enrichment tasks wait, by priority (every priority listed, zero included).
    public func pending() throws -> [EnrichmentPriority: Int] {
        try queue.pending()
    }

    /// The queue, both databases' states and tiers, and the failures seen. Never throws for a
    /// knowledge or archive failure (it reports them); throws only if the conversations
    /// database's active tier cannot be read.
    public func statistics() throws -> CoordinatorStatistics {
        let (knowledge, health) = knowledgeState.withLock { ($0.store, $0.health) }
        let failures = self.failures.withLock { $0 }
        func tierFailures(_ database: String) -> [Tier: StrataError] {
            Dictionary(uniqueKeysWithValues: failures.filter { $0.key.database == database }.map { ($0.key.tier, $0.value) })
        }
        var knowledgeHealth = health
        var knowledgeTiers: TieredStatistics?
        if let knowledge {
            do { knowledgeTiers = try knowledge.statistics() } catch { knowledgeHealth = .unavailable(CoordinatorError.typed(error)) }
        }
        return CoordinatorStatistics(
            pending: try queue.pending(), failedTasks: try queue.failedCount(),
            conversations: DatabaseStatus(health: .available, tiers: try conversations.statistics(), tierFailures: tierFailures("conversations")),
            knowledge: DatabaseStatus(health: knowledgeHealth, tiers: knowledgeTiers, tierFailures: tierFailures("knowledge")),
            enrichmentWorker: enrichmentWorker.withLock { $0 }?.status)
    }

    /// Runs `body` (a read of record `id` in `store`) and records its tier's failure or success.
    func tracked<T>(_ database: String, _ store: TieredMemoryStore, _ id: NodeID, _ body: () throws -> T) throws -> T {
        let tier = (try? store.tier(of: id)) ?? .active
        do {
            let result = try body()
            _ = failures.withLock { $0.removeValue(forKey: TierFailureKey(database: database, tier: tier)) }
            return result
        } catch {
            let typed = CoordinatorError.typed(error)
            if CoordinatorError.isStorageFailure(typed) {
                failures.withLock { $0[TierFailureKey(database: database, tier: tier)] = typed }
            }
            throw typed
        }
    }
}
