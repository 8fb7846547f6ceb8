import Foundation
import StrataEngine
import StrataTestSupport
import Testing

/// ``TupleKey``: byte order is tuple order, decoding inverts encoding, prefixes are safe, and
/// malformed bytes throw a typed error.
@Suite("Tuple keys")
struct TupleKeyTests {
    static let tupleCount = 4000

    @Test func byteOrderIsTupleOrder() {
        var rng = SeededRandom.fromEnvironment(default: 0x7095_1E)
        let tuples = (0..<Self.tupleCount).map { _ in TupleKeyReference.tuple(&rng) }
        let keys = tuples.map { TupleKey(elements: $0) }
        var mismatches = 0
        for _ in 0..<20_000 {
            let (i, j) = (Int.random(in: 0..<tuples.count, using: &rng), Int.random(in: 0..<tuples.count, using: &rng))
            let expected = TupleKeyReference.compare(tuples[i], tuples[j])
            let actual = TupleKeyReference.compareBytes(keys[i].bytes, keys[j].bytes)
            if expected != actual {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(keys[i]) vs \(keys[j]): tuple order \(expected), byte order \(actual) (\(rng.seedDescription))")
                }
            }
        }
        #expect(mismatches == 0)
        // And sorting by bytes sorts by tuples.
        let sorted = keys.sorted()
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { TupleKeyReference.compare($0.elements, $1.elements) <= 0 })
    }

    @Test func decodingInvertsEncoding() throws {
        var rng = SeededRandom.fromEnvironment(default: 0xDEC0DE)
        for _ in 0..<Self.tupleCount {
            let key = TupleKey(elements: TupleKeyReference.tuple(&rng))
            let decoded = try TupleKey(decoding: key.bytes)
            #expect(decoded.elements == key.elements, "\(key) (\(rng.seedDescription))")
            #expect(TupleKey(elements: decoded.elements).bytes == key.bytes)
        }
    }

    @Test func prefixesAreSafe() {
        var rng = SeededRandom.fromEnvironment(default: 0x9BEF1)
        let tuples = (0..<Self.tupleCount).map { _ in TupleKeyReference.tuple(&rng) }
        for tuple in tuples {
            let bytes = TupleKey(elements: tuple).bytes
            for length in 0...tuple.count {
                #expect(bytes.starts(with: TupleKey(elements: Array(tuple[..<length])).bytes))
            }
        }
        // A key starts with a prefix's bytes exactly when its tuple starts with the prefix's tuple.
        for _ in 0..<20_000 {
            let prefix = tuples.randomElement(using: &rng)!
            let tuple = tuples.randomElement(using: &rng)!
            let byBytes = TupleKey(elements: tuple).bytes.starts(with: TupleKey(elements: prefix).bytes)
            let byTuple = tuple.count >= prefix.count && TupleKeyReference.compare(Array(tuple[..<prefix.count]), prefix) == 0
            #expect(byBytes == byTuple, "\(TupleKey(elements: prefix)) / \(TupleKey(elements: tuple)) (\(rng.seedDescription))")
        }
    }

    /// The issue's example through a real tree: a scan of ("a") never returns ("ab").
    @Test func prefixScanOfATreeReturnsExactlyTheMatchingTuples() throws {
        let database = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(MemoryFileSystem()))
        defer { try? database.close() }
        let tree = try database.tree("messages")
        let keys = [
            TupleKey("a"), TupleKey("a", 1), TupleKey("a", "x", 2), TupleKey("ab"), TupleKey("ab", 1),
            TupleKey("a\u{0}", 1), TupleKey("", 1), TupleKey("b"), TupleKey(1, "a"), TupleKey("a", nil as Int?),
        ]
        for key in keys { _ = try tree.insert([1], forKey: key.bytes) }
        var cursor = try tree.scan(prefix: TupleKey.prefix("a"))
        var found: [TupleKey] = []
        while let entry = try cursor.next() { found.append(try TupleKey(decoding: entry.key)) }
        #expect(found == [TupleKey("a"), TupleKey("a", nil as Int?), TupleKey("a", "x", 2), TupleKey("a", 1)])
    }

    @Test func typedValuesComeBack() throws {
        let id = UUID()
        let sent = Date(timeIntervalSince1970: 1_767_225_600.25)
        let key = try TupleKey(decoding: TupleKey("msg", UInt16(7), sent, id, -3, true, 2.5, [UInt8]([0, 1]), TupleKey("in", 1)).bytes)
        #expect(try key.value(at: 0, as: String.self) == "msg")
        #expect(try key.value(at: 1, as: Int.self) == 7)
        #expect(try key.value(at: 2, as: Date.self) == sent)
        #expect(try key.value(at: 3, as: UUID.self) == id)
        #expect(try key.value(at: 4, as: Int8.self) == -3)
        #expect(try key.value(at: 5, as: Bool.self))
        #expect(try key.value(at: 6, as: Double.self) == 2.5)
        #expect(try key.value(at: 7, as: [UInt8].self) == [0, 1])
        #expect(try key.value(at: 8, as: TupleKey.self) == TupleKey("in", 1))
        #expect(TupleKey(UInt64.max).elements == [.unsignedInteger(.max)])
        #expect(TupleKey(Int64.min) < TupleKey(-1) && TupleKey(-1) < TupleKey(UInt8(0)) && TupleKey(0) < TupleKey(UInt64.max))
        #expect(TupleKey("a").appending(1).bytes == TupleKey("a", 1).bytes)
        expectStrataError(.invalidArgument) { _ = try key.value(at: 0, as: Int.self) }
        expectStrataError(.invalidArgument) { _ = try key.value(at: 4, as: UInt.self) }
        expectStrataError(.invalidArgument) { _ = try key.value(at: 9, as: String.self) }
    }

    /// The documented byte layout (FORMAT.md, "Key tuples").
    @Test func bytesAreTheDocumentedLayout() {
        #expect(TupleKey("a\u{0}b\u{1}").bytes == [0x02, 0x61, 0x01, 0x01, 0x62, 0x01, 0x02, 0x00])
        #expect(TupleKey([UInt8]([0x00, 0xFF])).bytes == [0x01, 0x01, 0x01, 0xFF, 0x00])
        #expect(TupleKey(0).bytes == [0x14])
        #expect(TupleKey(300).bytes == [0x16, 0x01, 0x2C])
        #expect(TupleKey(-300).bytes == [0x12, 0xFE, 0xD3])
        #expect(TupleKey(nil as String?).bytes == [0x00])
        #expect(TupleKey(TupleKey(nil as String?, 1)).bytes == [0x05, 0x00, 0xFF, 0x15, 0x01, 0x00, 0x00])
        #expect(TupleKey(false, true).bytes == [0x26, 0x27])
        #expect(TupleKey(1.0).bytes == [0x21, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0])
        #expect(TupleKey(-1.0).bytes == [0x21, 0x40, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(TupleKey(Date(timeIntervalSince1970: 0)).bytes == [0x40, 0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(TupleKey(UUID(uuid: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16))).bytes == [0x30] + Array(1...16))
    }

    @Test(arguments: [
        [0x02, 0x61],  // string without its terminator
        [0x01, 0x00, 0xFF],  // byte string, then an unknown type code
        [0x01, 0x01],  // escape without its second byte
        [0x01, 0x01, 0x03, 0x00],  // escape of neither 0x00 nor 0x01
        [0x05, 0x14],  // nested tuple without its end
        [0x05, 0x14, 0x00],  // nested tuple with half an end
        [0x05, 0x00, 0x05, 0x00, 0x00],  // zero byte in a nested tuple that is neither end nor nil
        [0x05, 0x00, 0xFF],  // nested nil, then no end
        [0x15],  // truncated integer
        [0x16, 0x00, 0x05],  // integer not in its shortest form
        [0x12, 0xFF, 0x00],  // negative integer not in its shortest form
        [0x0C, 0x00, 0, 0, 0, 0, 0, 0, 0],  // negative integer below Int64.min
        [0x21, 0x00],  // truncated double
        [0x30, 1, 2, 3],  // truncated UUID
        [0x40, 0x80],  // truncated timestamp
        [0x03],  // unknown type code
        [0xFF],  // unknown type code
        [0x02, 0xC3, 0x00],  // string that is not UTF-8
    ] as [[UInt8]])
    func malformedBytesThrowATypedError(_ bytes: [UInt8]) {
        expectStrataError(.invalidArgument) { _ = try TupleKey(decoding: bytes) }
    }

    @Test func nestingPastTheBoundThrows() {
        var deep = TupleKey(1)
        for _ in 0...TupleKey.maxNestingDepth { deep = TupleKey(deep) }
        expectStrataError(.invalidArgument) { _ = try TupleKey(decoding: deep.bytes) }
        var allowed = TupleKey(1)
        for _ in 0..<TupleKey.maxNestingDepth { allowed = TupleKey(allowed) }
        #expect((try? TupleKey(decoding: allowed.bytes)) == allowed)
    }

    /// Random bytes never trap; whatever decodes is canonical (re-encodes to the same bytes).
    @Test func randomBytesDecodeCanonicallyOrThrow() {
        var rng = SeededRandom.fromEnvironment(default: 0xBAD)
        let codes: [UInt8] = [0x00, 0x01, 0x02, 0x05, 0x0C, 0x12, 0x14, 0x16, 0x1C, 0x21, 0x26, 0x27, 0x30, 0x40, 0xFF, 0x61]
        var decoded = 0
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                Bool.random(using: &rng) ? codes.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            do {
                let key = try TupleKey(decoding: bytes)
                decoded += 1
                #expect(TupleKey(elements: key.elements).bytes == bytes, "\(bytes) (\(rng.seedDescription))")
            } catch {
                #expect((error as? StrataError)?.code == .invalidArgument, "\(error)")
            }
        }
        #expect(decoded > 100)
    }
}
