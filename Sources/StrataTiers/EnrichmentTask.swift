import StrataGraph

/// What an enrichment task derives from a message: a name, like ``EdgeType``. The coordinator
/// knows ``index``; the application brings handlers for the others (``EnrichmentHandler``).
public struct EnrichmentKind: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The kind's name as the queue stores it (1 to ``maxNameBytes`` bytes of UTF-8).
    public var name: String
    /// A kind called `name`.
    public init(_ name: String) { self.name = name }
    /// A kind from a literal: `let kind: EnrichmentKind = "summarize"`.
    public init(stringLiteral value: String) { self.name = value }
    /// The kind's ``name``.
    public var description: String { name }

    /// Records the message in the knowledge store (its reference node), so that cross-database
    /// queries find it; every other kind does this first too.
    public static let index = EnrichmentKind("index")
    /// Computes the message's embedding (``EmbeddingHandler``).
    public static let embed = EnrichmentKind("embed")
    /// Extracts the entities the message mentions (``EntityExtractionHandler``).
    public static let extractEntities = EnrichmentKind("entities")
    /// The longest kind name, in UTF-8 bytes.
    public static let maxNameBytes = 64
}

/// How soon a task runs: a worker takes tasks in this order (then oldest first).
public enum EnrichmentPriority: UInt8, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Before anything else (seed 000: indexing for instant recall).
    case urgent = 0
    /// Soon.
    case high = 1
    /// In the background (embeddings, entities).
    case normal = 2
    /// When nothing else waits (rebuilds, user batch jobs).
    case low = 3

    /// The priority's name (`urgent`, `high`, `normal`, `low`).
    public var description: String {
        switch self {
        case .urgent: "urgent"
        case .high: "high"
        case .normal: "normal"
        case .low: "low"
        }
    }

    /// Urgent first.
    public static func < (lhs: EnrichmentPriority, rhs: EnrichmentPriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One queued enrichment task (a row of the queue, FORMAT.md "Enrichment queue").
public struct EnrichmentTask: Hashable, Sendable {
    /// The task's place in the queue: unique, increasing in the order tasks were queued.
    public var sequence: UInt64
    /// How soon it runs.
    public var priority: EnrichmentPriority
    /// What it derives.
    public var kind: EnrichmentKind
    /// The message it is about (in the conversations database).
    public var message: NodeID
    /// How many times a handler has failed on it.
    public var attempts: Int
}
