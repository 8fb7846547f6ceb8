/// The graph layer's bounds on fields; a write beyond one throws `invalidField`.
public enum GraphLimits {
    /// The longest namespace, in UTF-8 bytes.
    public static let maxNamespaceBytes = 128
    /// The longest entity name, alias, title or space name, in UTF-8 bytes.
    public static let maxNameBytes = 1024
    /// The longest text (message content, memory, summary), in UTF-8 bytes.
    public static let maxTextBytes = 4 * 1024 * 1024
    /// The most dimensions an embedding may have.
    public static let maxDimension = 16384
    /// The deepest a property value may nest.
    public static let maxPropertyDepth = 32
    /// The most results (`k`) and the widest candidate list (`ef`) a vector search takes; a
    /// larger one throws `invalidField`.
    public static let maxNearestK = 10_000
    /// The highest HNSW level a node is drawn at.
    static let maxVectorLevel = 15
}
