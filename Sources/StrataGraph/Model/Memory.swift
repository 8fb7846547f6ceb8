#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Something the agent remembers, distilled from messages: indexed by (kind, importance).
public struct Memory: Hashable, Sendable {
    /// The four kinds of agent memory.
    public enum Kind: UInt8, Hashable, Sendable, CaseIterable {
        /// Events: what happened, when.
        case episodic = 0
        /// Facts and knowledge.
        case semantic = 1
        /// How to do things.
        case procedural = 2
        /// Short-lived scratch state (usually with an expiry).
        case working = 3

        /// The kind called `name` (`"semantic"`), or nil.
        public init?(named name: String) {
            switch name {
            case "episodic": self = .episodic
            case "semantic": self = .semantic
            case "procedural": self = .procedural
            case "working": self = .working
            default: return nil
            }
        }

        /// The kind's name (`"semantic"`), what ``init(named:)`` reads; a constant, no formatting.
        public var name: String {
            switch self {
            case .episodic: "episodic"
            case .semantic: "semantic"
            case .procedural: "procedural"
            case .working: "working"
            }
        }
    }

    public var kind: Kind
    public var text: String
    /// How much it matters, 0 ... 1.
    public var importance: Double
    /// How fast its importance decays per day (the application's policy; ≥ 0).
    public var decayRate: Double
    /// How often it was recalled. Kept apart from the record (``MemoryStore/recordAccess(_:at:)``
    /// bumps it without rewriting the record); filled in on every read.
    public var accessCount: UInt64
    /// When it was last recalled; filled in on every read like ``accessCount``.
    public var lastAccess: Date?
    /// The message it was distilled from (same namespace), if any. It hangs off its source:
    /// deleting the source deletes the memory.
    public var source: NodeID?
    /// The token count of ``text`` (the application's tokenizer's), for context budgeting.
    public var tokenCount: Int

    public init(
        kind: Kind, text: String, importance: Double = 0.5, decayRate: Double = 0, source: NodeID? = nil,
        tokenCount: Int = 0
    ) {
        self.kind = kind
        self.text = text
        self.importance = importance
        self.decayRate = decayRate
        self.accessCount = 0
        self.lastAccess = nil
        self.source = source
        self.tokenCount = tokenCount
    }
}
