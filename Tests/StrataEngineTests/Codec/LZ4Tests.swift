import StrataTestSupport
import Testing

@testable import StrataEngine

@Suite struct LZ4Tests {
    static func roundTrip(_ input: [UInt8]) -> [UInt8]? {
        let compressed = input.withUnsafeBytes { LZ4.compress($0) }
        return compressed.withUnsafeBytes { LZ4.decompress($0, decompressedCount: input.count) }
    }

    @Test func roundTripsEmptyRepetitiveAndRandomInput() {
        var rng = SeededRandom.fromEnvironment(default: 11)
        let inputs: [[UInt8]] = [
            [],
            [42],
            [UInt8](repeating: 7, count: 100_000),
            Array(String(repeating: "key-0001 value ", count: 2000).utf8),
            rng.bytes(count: 65_537),
        ]
        for input in inputs {
            #expect(Self.roundTrip(input) == input, "\(input.count) bytes, \(rng.seedDescription)")
        }
    }

    @Test func compressesRepetitiveInput() {
        let input = [UInt8](repeating: 0, count: 64 * 1024)
        let compressed = input.withUnsafeBytes { LZ4.compress($0) }
        #expect(compressed.count < 1024)
    }

    @Test func wrongSizeIsRejected() {
        let input = Array(String(repeating: "abcdefgh", count: 100).utf8)
        let compressed = input.withUnsafeBytes { LZ4.compress($0) }
        compressed.withUnsafeBytes { block in
            #expect(LZ4.decompress(block, decompressedCount: input.count - 1) == nil)
            #expect(LZ4.decompress(block, decompressedCount: input.count + 1) == nil)
            #expect(LZ4.decompress(block, decompressedCount: 0) == nil)
            #expect(LZ4.decompress(block, decompressedCount: -1) == nil)
        }
    }

    @Test func garbageNeverCrashes() {
        var rng = SeededRandom.fromEnvironment(default: 99)
        var accepted = 0
        for _ in 0..<5000 {
            let garbage = rng.bytes(count: Int.random(in: 0...300, using: &rng))
            let claimed = Int.random(in: 0...2000, using: &rng)
            let result = garbage.withUnsafeBytes { LZ4.decompress($0, decompressedCount: claimed) }
            if let result {
                #expect(result.count == claimed, "\(rng.seedDescription)")
                accepted += 1
            }
        }
        // Random bytes are almost never a valid block of exactly the claimed size.
        #expect(accepted < 50, "\(rng.seedDescription)")
    }

    @Test func corruptedBlocksNeverCrash() {
        var rng = SeededRandom.fromEnvironment(default: 5)
        let input = Array(String(repeating: "the quick brown fox ", count: 500).utf8)
        let compressed = input.withUnsafeBytes { LZ4.compress($0) }
        for _ in 0..<2000 {
            var damaged = compressed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                damaged[Int.random(in: 0..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { damaged.removeLast(Int.random(in: 0..<damaged.count, using: &rng)) }
            let result = damaged.withUnsafeBytes { LZ4.decompress($0, decompressedCount: input.count) }
            #expect(result == nil || result?.count == input.count)
        }
    }
}
