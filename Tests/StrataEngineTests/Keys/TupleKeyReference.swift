import Foundation
import StrataEngine
import StrataTestSupport

/// The tuple order written out directly on typed elements, to check the byte order against,
/// and a generator of random tuples built to hit the hard cases (shared prefixes, zero bytes,
/// integer-width boundaries, -0 and +0, nesting, nil).
enum TupleKeyReference {
    static func rank(_ element: TupleKey.Element) -> Int {
        switch element {
        case .null: 0
        case .bytes: 1
        case .string: 2
        case .tuple: 5
        case .integer, .unsignedInteger: 20
        case .double: 33
        case .bool(let value): value ? 39 : 38
        case .uuid: 48
        case .timestamp: 64
        }
    }

    /// -1, 0 or 1.
    static func compare(_ a: [TupleKey.Element], _ b: [TupleKey.Element]) -> Int {
        for (x, y) in zip(a, b) {
            let order = compare(x, y)
            if order != 0 { return order }
        }
        return sign(a.count - b.count)
    }

    static func compare(_ a: TupleKey.Element, _ b: TupleKey.Element) -> Int {
        let ranks = sign(rank(a) - rank(b))
        if ranks != 0 { return ranks }
        switch (a, b) {
        case (.bytes(let x), .bytes(let y)): return compareBytes(x, y)
        case (.string(let x), .string(let y)): return compareBytes(Array(x.utf8), Array(y.utf8))
        case (.tuple(let x), .tuple(let y)): return compare(x, y)
        case (.double(let x), .double(let y)):
            if x.bitPattern == y.bitPattern { return 0 }
            return x.isTotallyOrdered(belowOrEqualTo: y) ? -1 : 1
        case (.uuid(let x), .uuid(let y)):
            return compareBytes(withUnsafeBytes(of: x.uuid) { Array($0) }, withUnsafeBytes(of: y.uuid) { Array($0) })
        case (.timestamp(let x), .timestamp(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        default:
            let (x, y) = (signedMagnitude(a), signedMagnitude(b))
            if x.negative != y.negative { return x.negative ? -1 : 1 }
            let byMagnitude = x.magnitude < y.magnitude ? -1 : (x.magnitude == y.magnitude ? 0 : 1)
            return x.negative ? -byMagnitude : byMagnitude
        }
    }

    static func signedMagnitude(_ element: TupleKey.Element) -> (negative: Bool, magnitude: UInt64) {
        switch element {
        case .integer(let value): (value < 0, value.magnitude)
        case .unsignedInteger(let value): (false, value)
        default: (false, 0)  // null, booleans: equal within their rank
        }
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a == b { return 0 }
        return a.lexicographicallyPrecedes(b) ? -1 : 1
    }

    static func sign(_ value: Int) -> Int { value < 0 ? -1 : (value > 0 ? 1 : 0) }

    // MARK: Random tuples

    static let strings = ["", "a", "ab", "a\u{0}", "a\u{0}b", "\u{0}", "b", "é", "e\u{301}", "日本", "\u{10FFFF}", "zz"]
    static let integers: [Int64] = [
        0, 1, -1, 255, 256, -255, -256, 65535, 65536, -65536, .max, .min, .max - 1, .min + 1,
        1 << 31, -(1 << 31), 1 << 55, -(1 << 56),
    ]
    static let doubles: [Double] = [0, -0.0, 1, -1, 0.5, -0.5, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 1e300, 3.25]
    static let uuids = [
        UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
        UUID(uuid: (255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
    ]

    static func element(_ rng: inout SeededRandom, depth: Int = 0) -> TupleKey.Element {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: return .null
        case 1:
            let length = Int.random(in: 0...3, using: &rng)
            return .bytes((0..<length).map { _ in [0x00, 0x01, 0xFE, 0xFF].randomElement(using: &rng)! })
        case 2: return .string(strings.randomElement(using: &rng)!)
        case 3:
            let length = Int.random(in: 0...3, using: &rng)
            return .string(String((0..<length).map { _ in ["a", "b", "\u{0}", "é"].randomElement(using: &rng)! }))
        case 4:
            guard depth < 2 else { return .null }
            return .tuple((0..<Int.random(in: 0...3, using: &rng)).map { _ in element(&rng, depth: depth + 1) })
        case 5: return .integer(integers.randomElement(using: &rng)!)
        case 6: return .integer(Int64.random(in: -70_000...70_000, using: &rng))
        case 7: return TupleKey.Element(integer: UInt64.random(in: UInt64(Int64.max)...UInt64.max, using: &rng))
        case 8: return .double(Bool.random(using: &rng) ? doubles.randomElement(using: &rng)! : Double.random(in: -10...10, using: &rng))
        case 9: return .bool(Bool.random(using: &rng))
        case 10: return .uuid(Bool.random(using: &rng) ? uuids.randomElement(using: &rng)! : UUID(uuid: randomUUIDBytes(&rng)))
        default: return .timestamp(nanosecondsSince1970: [0, -1, 1, .min, .max, Int64.random(in: -5...5, using: &rng)].randomElement(using: &rng)!)
        }
    }

    static func tuple(_ rng: inout SeededRandom) -> [TupleKey.Element] {
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in element(&rng) }
    }

    static func randomUUIDBytes(_ rng: inout SeededRandom) -> uuid_t {
        let b = rng.bytes(count: 16)
        return (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
    }
}
