import StrataRandom
import StrataTestSupport
import Testing

@Suite("SplitMix64")
struct SplitMix64Tests {
    /// The reference outputs of `splitmix64(&s)` from `s = 0` and `s = 1234567`.
    @Test func matchesTheReferenceSequence() {
        var fromZero = SplitMix64(seed: 0)
        #expect((0..<3).map { _ in fromZero.next() } == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var other = SplitMix64(seed: 1_234_567)
        #expect((0..<2).map { _ in other.next() } == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973])
    }

    /// SeededRandom is seeded through SplitMix64: its first output from seed 12345 stays fixed,
    /// so seeds printed by earlier failing runs still reproduce them.
    @Test func seededRandomKeepsItsSequence() {
        var random = SeededRandom(seed: 12345)
        #expect(random.next() == Self.seededRandomFirstOutput)
    }

    static let seededRandomFirstOutput: UInt64 = 13_720_838_825_685_603_483
}
