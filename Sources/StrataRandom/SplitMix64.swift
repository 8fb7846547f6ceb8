/// SplitMix64 (Steele, Lea and Flood, 2014): a deterministic, non-cryptographic 64-bit generator
/// for tests, benchmarks and demos. Never use it for anything that must be unpredictable.
///
/// Each call to ``next()`` advances the state by the golden-ratio increment `0x9E3779B97F4A7C15`
/// and returns a mix of the new state; all arithmetic is unsigned 64-bit and wraps. The output
/// sequence is part of the contract: the benchmark workloads (`shared/bench/WORKLOADS.md`), the
/// CLI's demo data and the test support's seeding depend on it staying exactly as it is.
///
/// ```swift
/// var random = SplitMix64(seed: 42)
/// let roll = Int.random(in: 1...6, using: &random)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state, `s` in the reference C code (`uint64_t splitmix64(uint64_t *s)`).
    public var state: UInt64

    /// A generator whose first output is the reference `splitmix64(&s)` with `s = seed`.
    @inlinable
    public init(seed: UInt64) {
        state = seed
    }

    /// Advances the state and returns the next output.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
