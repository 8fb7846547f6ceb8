import StrataEngine
import Testing

/// Expects `body` to throw a ``StrataError`` with `code`; returns it for further checks.
@discardableResult
func expectStrataError<R>(
    _ code: StrataError.Code, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> R
) -> StrataError? {
    let error = #expect(throws: StrataError.self, comment, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == code, comment, sourceLocation: sourceLocation)
    return error
}
