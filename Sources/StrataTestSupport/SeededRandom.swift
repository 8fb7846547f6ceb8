#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StrataRandom

/// A fast, reproducible random number generator (xoshiro256**, seeded through splitmix64).
///
/// Print ``seedDescription`` in failure messages and rerun with `STRATA_SEED=<seed>` to
/// reproduce a failure:
///
/// ```swift
/// var rng = SeededRandom.fromEnvironment(default: 12345)
/// #expect(model == engine, "\(rng.seedDescription)")
/// ```
public struct SeededRandom: RandomNumberGenerator, Sendable {
    /// The seed this generator started from.
    public let seed: UInt64
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose sequence is determined by `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var mixer = SplitMix64(seed: seed)
        state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    }

    /// A generator seeded from the `STRATA_SEED` environment variable (decimal or `0x` hex),
    /// or from `defaultSeed` when it is unset or unreadable.
    public static func fromEnvironment(default defaultSeed: UInt64) -> SeededRandom {
        SeededRandom(seed: seedFromEnvironment() ?? defaultSeed)
    }

    /// The seed given in `STRATA_SEED`, if any.
    public static func seedFromEnvironment() -> UInt64? {
        guard let text = getenv("STRATA_SEED").map({ String(cString: $0) }) else { return nil }
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }

    /// `"seed <n>"`, to put in failure messages.
    public var seedDescription: String { "seed \(seed) (rerun with STRATA_SEED=\(seed))" }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// `count` random bytes.
    public mutating func bytes(count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count + 8)
        while result.count < count {
            withUnsafeBytes(of: next().littleEndian) { result.append(contentsOf: $0) }
        }
        result.removeLast(result.count - count)
        return result
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
