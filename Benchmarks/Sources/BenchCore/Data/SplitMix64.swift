/// The reference splitmix64 generator of WORKLOADS.md: the state advances by
/// the golden-ratio increment and each output is a mix of the new state.
/// All arithmetic is unsigned 64-bit and wraps.
public struct SplitMix64: Sendable {
    /// The generator's state, `s` in the reference C code.
    public var state: UInt64

    /// A generator whose first output is `splitmix64(&s)` with `s = state`.
    @inlinable
    public init(state: UInt64) {
        self.state = state
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
