/// A directed, weighted edge of an MW1 dataset.
public struct MW1Edge: Sendable, Equatable {
    /// The edge types of MEMORY-WORKLOAD.md.
    public enum EdgeType: String, Sendable, CaseIterable {
        /// A message mentions an entity (weight in [0.3, 1]).
        case mentions = "MENTIONS"
        /// A message replies to the previous message of its conversation.
        case repliesTo = "REPLIES_TO"
        /// A memory was derived from its source message.
        case derivedFrom = "DERIVED_FROM"
    }

    /// The type.
    public var type: EdgeType
    /// The source node's id.
    public var from: String
    /// The target node's id.
    public var to: String
    /// In [0, 1].
    public var weight: Double

    /// An edge with these fields.
    public init(type: EdgeType, from: String, to: String, weight: Double) {
        (self.type, self.from, self.to, self.weight) = (type, from, to, weight)
    }
}
