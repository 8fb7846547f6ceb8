#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An edge's type: `MENTIONS`, `REPLIES_TO`, `SUMMARIZES`, `RELATES_TO`, `DERIVED_FROM`, or an
/// application's own (1 to 64 bytes).
public struct EdgeType: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public var description: String { name }

    /// A message mentions an entity.
    public static let mentions = EdgeType("MENTIONS")
    /// A message replies to another.
    public static let repliesTo = EdgeType("REPLIES_TO")
    /// A summary summarises a node.
    public static let summarizes = EdgeType("SUMMARIZES")
    /// A general relation between two nodes (entity to entity, fact to fact).
    public static let relatesTo = EdgeType("RELATES_TO")
    /// A memory was derived from a message.
    public static let derivedFrom = EdgeType("DERIVED_FROM")

    /// The longest type name, in UTF-8 bytes.
    public static let maxNameBytes = 64
}

/// Which edges of a node to follow.
public enum EdgeDirection: Sendable, Hashable, CaseIterable {
    /// Edges from the node.
    case outgoing
    /// Edges to the node.
    case incoming
    /// Both.
    case both
}

/// A directed, typed edge between two nodes of one namespace. There is at most one edge of a
/// type from one node to another: adding it again replaces it.
///
/// An edge can be *invalidated* (``validUntil`` set: the fact stopped being true; it stays,
/// queries skip it unless asked) or *removed* (gone from every index).
public struct Edge: Hashable, Sendable {
    public var from: NodeID
    public var type: EdgeType
    public var to: NodeID
    /// Weight or confidence (finite).
    public var weight: Double
    public var properties: Properties
    /// From when the fact holds.
    public var validFrom: Date
    /// Until when it held (nil: still valid). A query skips an edge whose `validUntil` ≤ its time.
    public var validUntil: Date?

    public init(
        from: NodeID, type: EdgeType, to: NodeID, weight: Double = 1, properties: Properties = [:],
        validFrom: Date = Date(), validUntil: Date? = nil
    ) {
        self.from = from
        self.type = type
        self.to = to
        self.weight = weight
        self.properties = properties
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// Whether the edge holds at `date`.
    public func isValid(at date: Date) -> Bool {
        validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }
}
