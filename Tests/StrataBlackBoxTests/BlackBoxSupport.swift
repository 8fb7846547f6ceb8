import Foundation
import StrataEngine
import StrataTestSupport
import Testing

/// Bytes of a string, for keys and values.
func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

/// Runs `body` and returns the code of the `StrataError` it threw, or nil if it returned.
/// Any other error fails the test.
func errorCode(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> StrataError.Code? {
    do {
        try body()
        return nil
    } catch let error as StrataError {
        return error.code
    } catch {
        Issue.record("not a StrataError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Expects `body` to throw a `StrataError` with `code`.
func expectCode(
    _ code: StrataError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    let thrown = errorCode(body, sourceLocation: sourceLocation)
    #expect(thrown == code, comment, sourceLocation: sourceLocation)
}

/// A database in a fresh temporary directory, and the directory (kept alive with it).
struct TemporaryDatabase {
    let directory: TemporaryDirectory
    var path: String { directory.appending("db") }

    init() throws { directory = try TemporaryDirectory(prefix: "strata-blackbox") }

    func open(_ configure: (inout Database.Configuration) -> Void = { _ in }) throws -> Database {
        var configuration = Database.Configuration()
        configure(&configuration)
        return try Database.open(at: path, configuration: configuration)
    }
}

/// Every entry of a readable view, in key order.
func allEntries(_ tree: some ReadableTree) throws -> [Entry] {
    try Array(tree.scan(prefix: [UInt8]()))
}
