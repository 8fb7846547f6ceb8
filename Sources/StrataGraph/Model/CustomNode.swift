/// A node of an application-defined kind: a name and a property bag.
public struct CustomNode: Hashable, Sendable {
    /// The kind's name (1 to ``NodeKind/maxCustomNameBytes`` bytes, not a built-in kind's name).
    public var kind: String
    public var properties: Properties
    /// The node it hangs off (same namespace), if any: deleting that node deletes this one.
    public var owner: NodeID?

    public init(kind: String, properties: Properties = [:], owner: NodeID? = nil) {
        self.kind = kind
        self.properties = properties
        self.owner = owner
    }
}
