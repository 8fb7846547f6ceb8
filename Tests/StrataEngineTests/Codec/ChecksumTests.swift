import StrataTestSupport
import Testing

@testable import StrataEngine

@Suite struct ChecksumTests {
    // Known answers computed independently with python-xxhash's xxh3_64_intdigest.
    static let expectedHashes: [([UInt8], UInt64)] = [
        ([], 0x2D06_8005_38D3_94C2),
        (Array("a".utf8), 0xE6C6_32B6_1E96_4E1F),
        (Array("abc".utf8), 0x78AF_5F94_892F_3950),
        ((0..<1024).map { UInt8(truncatingIfNeeded: $0) }, 0xA870_F929_8439_8D22),
    ]

    @Test(arguments: expectedHashes)
    func knownAnswers(input: [UInt8], expected: UInt64) {
        #expect(Checksum.xxh3(input) == expected)
        #expect(input.withUnsafeBytes { Checksum.xxh3($0) } == expected)
    }

    @Test func sliceHashesOnlyItsBytes() {
        let bytes = Array("xxabcxx".utf8)
        #expect(Checksum.xxh3(bytes[2..<5]) == 0x78AF_5F94_892F_3950)
    }

    @Test func singleBitFlipChangesTheHash() {
        var rng = SeededRandom.fromEnvironment(default: 3)
        var bytes = rng.bytes(count: 4096)
        let original = Checksum.xxh3(bytes)
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
        #expect(Checksum.xxh3(bytes) != original, "\(rng.seedDescription)")
    }
}
