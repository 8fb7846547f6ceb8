/// How vectors are compared.
public enum DistanceMetric: UInt8, Hashable, Sendable, CaseIterable {
    /// 1 − cosine similarity.
    case cosine = 0
    /// Negative dot product (smaller is nearer).
    case dot = 1
    /// Squared Euclidean distance.
    case l2 = 2

    /// The metric called `name` (`"cosine"`, `"dot"`, `"l2"`), or nil.
    public init?(named name: String) {
        switch name {
        case "cosine": self = .cosine
        case "dot": self = .dot
        case "l2": self = .l2
        default: return nil
        }
    }
}

/// One family of comparable vectors: a model's output, with its dimension and metric. A node has
/// at most one vector per space; vectors are compared only within a space (and a namespace).
public struct EmbeddingSpace: Hashable, Sendable {
    /// The space's name (1 to 64 bytes), what calls refer to it by.
    public var name: String
    /// The model that makes the vectors (`"all-MiniLM-L6-v2"`).
    public var model: String
    /// How many Float32 values a vector has (1 ... ``GraphLimits/maxDimension``).
    public var dimension: Int
    public var metric: DistanceMetric

    public init(name: String, model: String, dimension: Int, metric: DistanceMetric) {
        self.name = name
        self.model = model
        self.dimension = dimension
        self.metric = metric
    }
}
