import Foundation
import StrataEngine
import Testing

/// Issue 9 item 7: `TupleKey` byte order equals tuple order, for every element type the docs list,
/// and every key decodes back to its tuple.
@Suite struct TupleKeyOrderTests {
    /// Keys in the order the docs promise: by type (nil < bytes < strings < tuples < integers <
    /// doubles < booleans < UUIDs < timestamps), then by value; a shorter tuple first.
    static let ordered: [TupleKey] = {
        let day: TimeInterval = 86_400
        var keys: [TupleKey] = []
        keys.append(TupleKey())
        keys.append(TupleKey(Optional<String>.none))
        keys.append(TupleKey(Optional<String>.none, Optional<String>.none))
        for b in [[UInt8](), [0], [0, 0], [0, 1], [1], [1, 0], [0xFF], [0xFF, 0]] { keys.append(TupleKey(b)) }
        for s in ["", "\0", "\0\0", "\0a", "\u{1}", "a", "a\0", "a\0\0", "a\0b", "a\u{1}", "aa", "ab", "b", "é", "\u{FFFF}", "😀"] {
            keys.append(TupleKey(s))
            if s == "a" { keys.append(TupleKey("a", "b")) }
        }
        keys.append(TupleKey(TupleKey()))
        keys.append(TupleKey(TupleKey(Optional<Int>.none)))
        keys.append(TupleKey(TupleKey(Optional<Int>.none, Optional<Int>.none)))
        keys.append(TupleKey(TupleKey("a")))
        keys.append(TupleKey(TupleKey("a"), 1))
        keys.append(TupleKey(TupleKey("a", Optional<Int>.none)))
        keys.append(TupleKey(TupleKey("a", TupleKey("\0"))))
        keys.append(TupleKey(TupleKey("a", 1)))
        keys.append(TupleKey(TupleKey("a\0")))
        keys.append(TupleKey(TupleKey("b")))
        keys.append(TupleKey(TupleKey(-1)))
        for i: Int64 in [.min, .min + 1, -(1 << 40), -65_536, -65_535, -256, -255, -2, -1, 0, 1, 2, 255, 256, 65_535, 65_536, 1 << 40, .max - 1, .max] {
            keys.append(TupleKey(i))
        }
        keys.append(TupleKey(UInt64(Int64.max) + 1))
        keys.append(TupleKey(UInt64.max))
        for d: Double in [-.infinity, -1e300, -1, -.leastNormalMagnitude, -.leastNonzeroMagnitude, -0.0, 0.0,
                          .leastNonzeroMagnitude, .leastNormalMagnitude, 0.5, 1, 1e300, .infinity] {
            keys.append(TupleKey(d))
        }
        keys.append(TupleKey(false))
        keys.append(TupleKey(true))
        for u in ["00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000001",
                  "7FFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "80000000-0000-0000-0000-000000000000",
                  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"] {
            keys.append(TupleKey(UUID(uuidString: u)!))
        }
        for t: TimeInterval in [-200 * 365 * day, -1, -0.001, 0, 0.001, 1, 1_767_225_600] {
            keys.append(TupleKey(Date(timeIntervalSince1970: t)))
        }
        return keys
    }()

    @Test func byteOrderIsTheDocumentedTupleOrder() throws {
        let keys = Self.ordered
        for (lower, upper) in zip(keys, keys.dropFirst()) {
            #expect(lower.bytes.lexicographicallyPrecedes(upper.bytes), "\(lower) should sort before \(upper)")
            #expect(lower < upper)
        }
        #expect(Set(keys.map(\.bytes)).count == keys.count, "every key distinct")
    }

    @Test func everyKeyDecodesToItsTuple() throws {
        for key in Self.ordered {
            let decoded = try TupleKey(decoding: key.bytes)
            #expect(decoded.bytes == key.bytes, "\(key)")
            #expect(decoded.elements == key.elements, "\(key)")
        }
        let zero = try TupleKey(decoding: TupleKey(-0.0).bytes).value(at: 0, as: Double.self)
        #expect(zero == 0 && zero.sign == .minus, "-0 keeps its sign")
        let before1970 = Date(timeIntervalSince1970: -86_400 * 365.25 * 50 - 0.25)
        let decodedDate = try TupleKey(decoding: TupleKey(before1970).bytes).value(at: 0, as: Date.self)
        #expect(abs(decodedDate.timeIntervalSince(before1970)) < 1e-6)
        let nul = "a\0b\u{1}c\0"
        #expect(try TupleKey(decoding: TupleKey(nul, 7).bytes).value(at: 0, as: String.self) == nul)
        #expect(try TupleKey(decoding: TupleKey(nul, 7).bytes).value(at: 1, as: Int.self) == 7)
        let uuid = UUID()
        let mixed = TupleKey("msg", -42, 3.5, uuid, TupleKey("in", nul), true, UInt8(9))
        let back = try TupleKey(decoding: mixed.bytes)
        #expect(try back.value(at: 0, as: String.self) == "msg")
        #expect(try back.value(at: 1, as: Int64.self) == -42)
        #expect(try back.value(at: 2, as: Double.self) == 3.5)
        #expect(try back.value(at: 3, as: UUID.self) == uuid)
        #expect(try back.value(at: 4, as: TupleKey.self) == TupleKey("in", nul))
        #expect(try back.value(at: 5, as: Bool.self) == true)
        #expect(try back.value(at: 6, as: Int.self) == 9)
        #expect(try TupleKey(decoding: TupleKey(UInt64.max).bytes).value(at: 0, as: UInt64.self) == .max)
        expectCode(.invalidArgument, "wrong type") { _ = try back.value(at: 0, as: Int.self) }
        expectCode(.invalidArgument, "no such element") { _ = try back.value(at: 7, as: Int.self) }
        expectCode(.invalidArgument, "does not fit") { _ = try TupleKey(decoding: TupleKey(300).bytes).value(at: 0, as: UInt8.self) }
    }

    @Test func integersOfEveryTypeEncodeAlike() {
        #expect(TupleKey(UInt8(5)).bytes == TupleKey(5).bytes)
        #expect(TupleKey(Int16(-5)).bytes == TupleKey(Int64(-5)).bytes)
        #expect(TupleKey(UInt64(5)).bytes == TupleKey(Int32(5)).bytes)
    }

    @Test func malformedBytesAreTypedErrors() {
        expectCode(.invalidArgument, "unknown type code") { _ = try TupleKey(decoding: [0xEE]) }
        expectCode(.invalidArgument, "missing terminator") { _ = try TupleKey(decoding: Array(TupleKey("abc").bytes.dropLast())) }
        expectCode(.invalidArgument, "truncated integer") { _ = try TupleKey(decoding: Array(TupleKey(70_000).bytes.dropLast())) }
        expectCode(.invalidArgument, "truncated UUID") { _ = try TupleKey(decoding: Array(TupleKey(UUID()).bytes.dropLast())) }
        var deep = TupleKey(1)
        for _ in 0..<(TupleKey.maxNestingDepth + 1) { deep = TupleKey(deep) }
        expectCode(.invalidArgument, "nested too deep") { _ = try TupleKey(decoding: deep.bytes) }
    }

    @Test func prefixScansAreExact() throws {
        let temp = try TemporaryDatabase()
        let db = try temp.open()
        let tree = try db.tree("t")
        let strings = ["a", "a\0", "a\0b", "a\u{1}", "ab", "b", ""]
        try db.write { tx in
            for s in strings {
                for n in [-3, 0, 5] { try tx.insert(bytes(s), forKey: TupleKey(s, n).bytes, in: tree) }
                try tx.insert(bytes(s), forKey: TupleKey(TupleKey(s), 1).bytes, in: tree)
            }
        }
        for s in strings {
            let hits = try Array(tree.scan(prefix: TupleKey.prefix(s)))
            #expect(hits.count == 3, "prefix (\(s.debugDescription)) returns exactly its three keys")
            #expect(try hits.map { try TupleKey(decoding: $0.key).value(at: 1, as: Int.self) } == [-3, 0, 5])
            #expect(hits.allSatisfy { $0.value == bytes(s) })
            let nested = try Array(tree.scan(prefix: TupleKey.prefix(TupleKey(s))))
            #expect(nested.count == 1, "nested prefix ((\(s.debugDescription))) is exact")
        }
        // The stored order is the documented order too.
        let stored = try allEntries(tree).map { try TupleKey(decoding: $0.key) }
        #expect(stored == stored.sorted())
        #expect(try TupleKey(decoding: allEntries(tree).first!.key).value(at: 0, as: String.self) == "")
        try db.close()
    }

    /// Random tuples against a reference comparator written from the docs.
    @Test func randomTuplesSortAsTheReferenceOrder() throws {
        var seed = UInt64(0x5EED)
        func next() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return seed >> 11 }
        let alphabet: [Character] = ["\0", "\u{1}", "a", "b", "\u{FF}", "é", "😀"]
        func element(depth: Int) -> TupleKey.Element {
            switch next() % (depth < 2 ? 9 : 8) {
            case 0: return .null
            case 1: return .bytes((0..<Int(next() % 4)).map { _ in [0, 1, 2, 0xFF][Int(next() % 4)] })
            case 2: return .string(String((0..<Int(next() % 4)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }))
            case 3: return .integer([Int64.min, -70_000, -256, -1, 0, 1, 255, 70_000, .max][Int(next() % 9)] &+ (Int64(next() % 3) - 1))
            case 4: return .double([-.infinity, -2.5, -0.0, 0.0, 1e-300, 2.5, .infinity][Int(next() % 7)])
            case 5: return .bool(next() % 2 == 0)
            case 6: return .uuid(UUID(uuid: (UInt8(next() % 3), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(next() % 256))))
            case 7: return .timestamp(nanosecondsSince1970: [-5_000_000_000, -1, 0, 1, 1_700_000_000_000_000_000][Int(next() % 5)])
            default: return .tuple((0..<Int(next() % 3)).map { _ in element(depth: depth + 1) })
            }
        }
        let keys = (0..<600).map { _ in TupleKey(elements: (0..<Int(next() % 4)).map { _ in element(depth: 0) }) }
        for _ in 0..<3000 {
            let a = keys[Int(next() % UInt64(keys.count))], b = keys[Int(next() % UInt64(keys.count))]
            let expected = ReferenceTupleOrder.compare(a.elements, b.elements)
            let actual = a.bytes.lexicographicallyPrecedes(b.bytes) ? -1 : (a.bytes == b.bytes ? 0 : 1)
            #expect(actual == expected, "\(a) vs \(b)")
            #expect(try TupleKey(decoding: a.bytes).bytes == a.bytes)
        }
    }
}

/// The tuple order as TupleKey's documentation states it, written independently of the encoder.
enum ReferenceTupleOrder {
    static func rank(_ e: TupleKey.Element) -> Int {
        switch e {
        case .null: 0
        case .bytes: 1
        case .string: 2
        case .tuple: 3
        case .integer, .unsignedInteger: 4
        case .double: 5
        case .bool: 6
        case .uuid: 7
        case .timestamp: 8
        }
    }

    static func sign<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

    static func lexical(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
    }

    static func compare(_ a: TupleKey.Element, _ b: TupleKey.Element) -> Int {
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return sign(ra, rb) }
        switch (a, b) {
        case (.null, .null): return 0
        case (.bytes(let x), .bytes(let y)): return lexical(x, y)
        case (.string(let x), .string(let y)): return lexical(Array(x.utf8), Array(y.utf8))
        case (.tuple(let x), .tuple(let y)): return compare(x, y)
        case (.integer(let x), .integer(let y)): return sign(x, y)
        case (.integer, .unsignedInteger): return -1
        case (.unsignedInteger, .integer): return 1
        case (.unsignedInteger(let x), .unsignedInteger(let y)): return sign(x, y)
        case (.double(let x), .double(let y)):
            if x.bitPattern == y.bitPattern { return 0 }
            return x.isTotallyOrdered(belowOrEqualTo: y) ? -1 : 1
        case (.bool(let x), .bool(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        case (.uuid(let x), .uuid(let y)): return lexical(withUnsafeBytes(of: x.uuid) { Array($0) }, withUnsafeBytes(of: y.uuid) { Array($0) })
        case (.timestamp(let x), .timestamp(let y)): return sign(x, y)
        default: return 0
        }
    }

    static func compare(_ a: [TupleKey.Element], _ b: [TupleKey.Element]) -> Int {
        for (x, y) in zip(a, b) {
            let c = compare(x, y)
            if c != 0 { return c }
        }
        return sign(a.count, b.count)
    }
}
