import StrataEngine
import StrataGraph

extension StrataError.Code {
    /// An fvecs or ivecs file that does not decode: empty, truncated inside a row, a row
    /// dimension below 1, or rows of different dimensions (the error names the file and offset).
    public static let malformedVectorFile = StrataError.Code("malformedVectorFile")
}

/// The errors of the TEXMEX reader, each a ``StrataError`` naming the file and byte offset.
enum VectorFileError {
    static func malformed(_ message: String, path: String?, offset: Int) -> StrataError {
        StrataError(.malformedVectorFile, message, path: path, offset: Int64(offset))
    }

    /// A row whose dimension differs from the first row's (or from the one expected).
    static func dimension(row: Int, has actual: Int, expected: Int, path: String?, offset: Int? = nil) -> StrataError {
        StrataError(
            .dimensionMismatch, "row \(row) has \(actual) dimensions, not \(expected)", path: path,
            offset: offset.map(Int64.init))
    }
}

/// Builders for the errors this module shares with the engine.
enum StrataErrorBuilder {
    static func invalidArgument(_ message: String) -> StrataError {
        StrataError(.invalidArgument, message)
    }
}

/// A Foundation error kept as a ``StrataError``'s cause by its description (Sendable).
struct UnderlyingFailure: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = String(describing: error)
    }
}
