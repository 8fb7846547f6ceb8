/// The documented bounds on what can be stored.
public enum Limits {
    /// Longest key, in bytes. Keys must also be non-empty.
    public static let maxKeyLength = 2048
    /// Largest value, in bytes.
    public static let maxValueLength = 32 << 20
    /// Longest tree name, in UTF-8 bytes.
    public static let maxTreeNameLength = 255
    /// The largest encoded batch (one WAL frame body), in bytes: one bound for writing and reading.
    public static let maxBatchBytes = Limits.maxValueLength + (16 << 20)
    /// Most operations in one atomic batch.
    public static let maxOperationsPerBatch = 1 << 24
}
