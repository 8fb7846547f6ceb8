import StrataTestSupport
import Testing

@testable import StrataEngine

/// `fileNotFound` is a missing file (ENOENT); `notFound` is only what the API names (a tree).
@Suite struct MissingFileErrorTests {
    @Test func aMissingSegmentIsFileNotFoundAndADroppedTreeIsNotFound() throws {
        let fs = MemoryFileSystem()
        let configuration = EngineFixtures.smallConfiguration(fs)
        let db = try Database.open(at: "/db", configuration: configuration)
        let tree = try db.tree("t")
        _ = try db.tree("other")
        var rng = SeededRandom(seed: 7)
        for i in 0..<400 { try tree.insert(rng.bytes(count: 400), forKey: [UInt8(i >> 8), UInt8(i & 0xFF)]) }
        try db.close()
        let reopened = try Database.open(at: "/db", configuration: configuration)
        let segments = try fs.contentsOfDirectory("/db").filter { $0.hasPrefix("seg-") }.sorted()
        #expect(segments.count > 1)
        try fs.removeFile("/db/" + segments[0])
        let handle = try #require(try reopened.existingTree("t"))
        var failures: [StrataError] = []
        for i in 0..<400 {
            do { _ = try handle.get([UInt8(i >> 8), UInt8(i & 0xFF)]) } catch let error as StrataError { failures.append(error) }
        }
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { $0.code == .fileNotFound && $0.path == "/db/" + segments[0] }, "\(failures.first.map { "\($0)" } ?? "")")
        let other = try #require(try reopened.existingTree("other"))
        try reopened.dropTree("other")
        expectStrataError(.notFound) { try other.get([0, 1]) }
        try? reopened.close()
    }
}
