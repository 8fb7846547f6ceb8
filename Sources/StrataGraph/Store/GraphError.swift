import StrataEngine

extension StrataError.Code {
    /// A node of the wrong kind where a particular kind is required (a message's conversation that
    /// is not a conversation; a kind-specific query on another kind).
    public static let wrongKind = StrataError.Code("wrongKind")
    /// An id, edge or vector that belongs to another namespace than the one asked for.
    public static let namespaceMismatch = StrataError.Code("namespaceMismatch")
    /// A field that is empty, oversized, out of range or malformed.
    public static let invalidField = StrataError.Code("invalidField")
    /// An insert of an id that already exists.
    public static let duplicateID = StrataError.Code("duplicateID")
    /// A vector whose length is not its embedding space's dimension, or an embedding space
    /// redefined with other parameters.
    public static let dimensionMismatch = StrataError.Code("dimensionMismatch")
    /// A vector holding NaN or an infinity.
    public static let nonFiniteVector = StrataError.Code("nonFiniteVector")
    /// An id, edge or embedding space that the store does not hold.
    public static let missingRecord = StrataError.Code("missingRecord")
}

/// Builders for the graph layer's errors: every bad input is a ``StrataError`` with one of the
/// codes above (or the engine's own), and nothing stored changes.
enum GraphError {
    static func invalidField(_ field: String, _ message: String) -> StrataError {
        StrataError(.invalidField, "\(field): \(message)")
    }

    static func missing(_ what: String) -> StrataError {
        StrataError(.missingRecord, "\(what) does not exist")
    }

    static func missingNode(_ id: NodeID) -> StrataError {
        missing("node \(id)")
    }

    static func wrongKind(_ id: NodeID, is actual: NodeKind, expected: String) -> StrataError {
        StrataError(.wrongKind, "node \(id) is a \(actual), not \(expected)")
    }

    static func namespaceMismatch(_ id: NodeID, is actual: String, expected: String) -> StrataError {
        StrataError(.namespaceMismatch, "node \(id) is in namespace \"\(actual)\", not \"\(expected)\"")
    }

    static func corruption(_ message: String) -> StrataError {
        StrataError(.corruption, message)
    }
}
