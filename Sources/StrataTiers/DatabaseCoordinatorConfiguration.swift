#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

extension DatabaseCoordinator {
    /// One enrichment task every inserted message gets.
    public struct TaskSpec: Hashable, Sendable {
        /// What the task derives.
        public var kind: EnrichmentKind
        /// How soon it runs.
        public var priority: EnrichmentPriority
        /// A task of `kind` at `priority`.
        public init(_ kind: EnrichmentKind, _ priority: EnrichmentPriority) {
            self.kind = kind
            self.priority = priority
        }
    }

    /// How the coordinator opens its databases and runs enrichment (TUNING.md, "Enrichment").
    public struct Configuration: Sendable {
        /// Both databases' tier settings.
        public var tiers: TieredMemoryStore.Configuration
        /// The tasks queued for every message: by default index (urgent), embed and entities (normal).
        public var tasks: [TaskSpec]
        /// The handlers, one per kind (``EnrichmentKind/index`` needs none). A task whose kind
        /// has no handler fails, and is set aside after ``maxAttempts``.
        public var handlers: [any EnrichmentHandler]
        /// The most tasks one ``DatabaseCoordinator/runEnrichment(limit:)`` takes (64).
        public var batchSize: Int
        /// How many failures set a task aside into `enrich.failed` (5).
        public var maxAttempts: Int
        /// The durability of the knowledge write of a batch; a task is deleted only after it
        /// (`.synced` by default: anything weaker may lose knowledge whose task is gone).
        public var knowledgeDurability: Durability
        /// Runs enrichment in the background: one worker per coordinator, woken by every
        /// ``DatabaseCoordinator/insertMessages(_:durability:)``, runs batches until the queue is
        /// empty, then sleeps ``enrichmentInterval``; ``DatabaseCoordinator/close()`` lets its batch
        /// finish and stops it. Off by default (the application calls ``DatabaseCoordinator/runEnrichment(limit:)``).
        public var backgroundEnrichment: Bool = false
        /// Seconds of wall time the background worker sleeps when the queue is empty or a batch
        /// failed (a failing knowledge database is retried this often; 5 by default).
        public var enrichmentInterval: TimeInterval = 5

        /// A configuration; every argument has the default documented on its property.
        public init(
            tiers: TieredMemoryStore.Configuration = .init(),
            tasks: [TaskSpec] = [.init(.index, .urgent), .init(.embed, .normal), .init(.extractEntities, .normal)],
            handlers: [any EnrichmentHandler] = [], batchSize: Int = 64, maxAttempts: Int = 5,
            knowledgeDurability: Durability = .synced
        ) {
            self.tiers = tiers
            self.tasks = tasks
            self.handlers = handlers
            self.batchSize = batchSize
            self.maxAttempts = maxAttempts
            self.knowledgeDurability = knowledgeDurability
        }

        /// Throws `invalidArgument` for a batch size or attempt bound below 1, a bad or repeated kind.
        func validate() throws {
            guard batchSize >= 1 else { throw TierError.invalid("batchSize", "\(batchSize) must be at least 1") }
            guard enrichmentInterval > 0, enrichmentInterval.isFinite else {
                throw TierError.invalid("enrichmentInterval", "\(enrichmentInterval) must be > 0")
            }
            guard maxAttempts >= 1 else { throw TierError.invalid("maxAttempts", "\(maxAttempts) must be at least 1") }
            for kind in tasks.map(\.kind) + handlers.map(\.kind) {
                guard !kind.name.isEmpty, kind.name.utf8.count <= EnrichmentKind.maxNameBytes else {
                    throw TierError.invalid("enrichment kind", "\"\(kind.name)\" must have 1 to \(EnrichmentKind.maxNameBytes) bytes")
                }
            }
            guard Set(handlers.map(\.kind)).count == handlers.count else {
                throw TierError.invalid("handlers", "two handlers for one kind")
            }
        }
    }
}
