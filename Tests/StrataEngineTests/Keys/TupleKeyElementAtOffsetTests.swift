import Foundation
import StrataEngine
import StrataTestSupport
import Testing

/// `TupleKey.element(in:at:)` (one element read where it starts) and `KeyBound.after(prefix:)`
/// (the end of a prefix scan), the public pieces a layer's scan loop is built from.
@Suite("Tuple key elements at an offset")
struct TupleKeyElementAtOffsetTests {
    @Test func eachElementReadsBackFromWhereItStarts() throws {
        let uuid = UUID()
        let date = Date(timeIntervalSince1970: 1_700_000_000.5)
        let key = TupleKey(UInt8(3), "conv\u{0}\u{1}ersation", date, uuid, "m00011159", -42, 2.5, true)
        var offset = 0
        for expected in key.elements {
            let (element, end) = try TupleKey.element(in: key.bytes, at: offset)
            #expect(element == expected)
            #expect(end > offset)
            offset = end
        }
        #expect(offset == key.bytes.count)
        // The element after a known prefix, without decoding the prefix.
        let prefix = TupleKey.prefix(UInt8(3), "conv\u{0}\u{1}ersation", date)
        #expect(try TupleKey.element(in: key.bytes, at: prefix.count).element == .uuid(uuid))
    }

    @Test func badOffsetsAndBytesThrowInvalidArgument() throws {
        let key = TupleKey("abc", 7).bytes
        for offset in [-1, key.count, key.count + 5] {
            let error = try #require(throws: StrataError.self) { try TupleKey.element(in: key, at: offset) }
            #expect(error.code == .invalidArgument)
        }
        // Inside the string's bytes: 0x62 is no type code. A truncated string has no terminator.
        for (bytes, offset) in [(key, 2), (Array(key.prefix(3)), 0), ([0x30, 1, 2], 0)] {
            let error = try #require(throws: StrataError.self) { try TupleKey.element(in: bytes, at: offset) }
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func afterPrefixEndsExactlyThePrefixScan() throws {
        #expect(KeyBound.after(prefix: [1, 2, 3]) == .excluded([1, 2, 4]))
        #expect(KeyBound.after(prefix: [1, 0xFF, 0xFF]) == .excluded([2]))
        #expect(KeyBound.after(prefix: [0xFF, 0xFF]) == .unbounded)
        #expect(KeyBound.after(prefix: []) == .unbounded)
        let directory = try TemporaryDirectory()
        let db = try Database.open(at: directory.path)
        defer { try? db.close() }
        let tree = try db.tree("t")
        let keys: [[UInt8]] = [[1], [1, 0xFF], [1, 0xFF, 0xFF, 0], [2], [2, 0], [0xFF]]
        try db.write { tx in for key in keys { try tx.insert([], forKey: key, in: tree) } }
        for prefix: [UInt8] in [[1], [1, 0xFF], [2], [0xFF]] {
            var cursor = try tree.range(.included(prefix), .after(prefix: prefix))
            let found = try cursor.collect().map(\.key)
            #expect(found == keys.filter { $0.starts(with: prefix) }, "\(prefix)")
        }
    }
}
