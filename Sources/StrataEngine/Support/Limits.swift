/// The documented bounds on what can be stored.
///
/// Each bound is one constant that both the writer and the reader use: a write that would
/// cross it throws ``StrataError/Code/invalidArgument`` before anything is logged, and stored
/// bytes that cross it are rejected as damage.
public enum Limits {
    /// Longest key, in bytes. Keys must also be non-empty.
    public static let maxKeyLength = 2048
    /// Largest value, in bytes.
    public static let maxValueLength = 32 << 20
    /// Longest tree name, in UTF-8 bytes.
    public static let maxTreeNameLength = 255
    /// Most operations (puts, removes, clears, tree creations and drops) in one atomic batch.
    public static let maxOperationsPerBatch = 1 << 24
    /// Largest encoded size of one atomic batch, in bytes: the body of its WAL frame (the u32
    /// operation count and every operation's encoding, FORMAT.md), which
    /// ``Transaction/encodedByteCount`` reports as the transaction grows. A single value of
    /// ``maxValueLength`` bytes under a key of ``maxKeyLength`` bytes always fits.
    public static let maxBatchBytes = 48 << 20
}
