import StrataTestSupport
import Testing

@testable import StrataEngine

@Suite struct KeyOrderTests {
    /// compareBytes must agree in sign with lexicographic order for every length and content,
    /// including keys that share long prefixes and bytes at the 0x7F/0x80 boundary.
    @Test func compareBytesAgreesWithLexicographicOrder() {
        var rng = SeededRandom(seed: 7)
        let alphabet: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]
        for _ in 0..<20000 {
            let length = Int.random(in: 0...20, using: &rng)
            let a = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            var b = a
            if Bool.random(using: &rng), !b.isEmpty { b[Int.random(in: 0..<b.count, using: &rng)] = alphabet.randomElement(using: &rng)! }
            if Bool.random(using: &rng) { b += (0..<Int.random(in: 0...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! } }
            if Bool.random(using: &rng), !b.isEmpty { b.removeLast(Int.random(in: 0...b.count, using: &rng)) }
            let expected = a == b ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
            let got = compareKeys(a, b).signum()
            #expect(got == expected, "\(a) vs \(b) (\(rng.seedDescription))")
            if got != expected { return }
        }
    }
}
