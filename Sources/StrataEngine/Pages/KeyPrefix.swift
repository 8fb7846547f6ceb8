/// The bytes every key of one node starts with, and each key's *hint*: the four bytes that
/// follow that prefix, as a big-endian integer.
///
/// A node keeps its keys' hints in its slot array, so a binary search compares integers
/// there and reads a key from the heap only when two hints tie (and once to confirm a
/// match). Keys that share a long prefix, like the 8 zero bytes of the benchmark's keys or
/// `tenant/agent/` paths, still differ within their hints.
///
/// The prefix is at most ``capacity`` bytes and is a common prefix of the node's keys, not
/// necessarily the longest: it only shrinks as keys arrive, and is recomputed when a node is
/// rebuilt. Hints are ordered like their keys: `hint(a) < hint(b)` implies `a < b` for two
/// keys with the prefix (zero padding past a key's end keeps that true), and equal hints say
/// nothing.
struct KeyPrefix: Sendable, Equatable {
    /// Longest prefix kept, in bytes.
    static let capacity = 16

    /// The prefix length in bytes (0...capacity).
    private(set) var length: Int
    /// The prefix bytes, big-endian, zero-padded.
    private var high: UInt64
    private var low: UInt64

    /// The empty prefix (every key has it).
    init() {
        length = 0
        high = 0
        low = 0
    }

    /// The longest prefix (up to ``capacity``) of `key` alone.
    init(of key: UnsafeRawBufferPointer) {
        self.init(key, length: min(key.count, KeyPrefix.capacity))
    }

    /// The longest common prefix (up to ``capacity``) of `first` and `last`, which for sorted
    /// keys is that of every key between them.
    init(first: UnsafeRawBufferPointer, last: UnsafeRawBufferPointer) {
        let limit = min(first.count, last.count, KeyPrefix.capacity)
        var common = 0
        while common < limit, first[common] == last[common] { common += 1 }
        self.init(first, length: common)
    }

    private init(_ key: UnsafeRawBufferPointer, length: Int) {
        self.length = length
        high = KeyPrefix.word(key, from: 0, count: min(length, 8))
        low = KeyPrefix.word(key, from: 8, count: max(length - 8, 0))
    }

    /// Where `key` falls against every key with this prefix.
    enum Position {
        /// Before all of them.
        case below
        /// Starts with the prefix: compare hints.
        case within
        /// After all of them.
        case above
    }

    @inline(__always)
    func position(of key: UnsafeRawBufferPointer) -> Position {
        if length == 0 { return .within }
        let h = KeyPrefix.word(key, from: 0, count: min(length, 8))
        if h != high { return h < high ? .below : .above }
        if length > 8 {
            let l = KeyPrefix.word(key, from: 8, count: length - 8)
            if l != low { return l < low ? .below : .above }
        }
        // Equal so far; a key shorter than the prefix is a proper prefix of every key here.
        return key.count < length ? .below : .within
    }

    /// The hint of `key`, which must start with this prefix.
    @inline(__always)
    func hint(of key: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: KeyPrefix.word(key, from: length, count: 4) >> 32)
    }

    /// The common prefix of this prefix and `key`: shorter than this one, or the same.
    func narrowed(toInclude key: UnsafeRawBufferPointer) -> KeyPrefix {
        var common = 0
        let limit = min(length, key.count)
        while common < limit, byte(at: common) == key[common] { common += 1 }
        if common == length { return self }
        var result = self
        result.length = common
        result.high = common >= 8 ? high : high & KeyPrefix.mask(common)
        result.low = common <= 8 ? 0 : low & KeyPrefix.mask(common - 8)
        return result
    }

    private func byte(at index: Int) -> UInt8 {
        let word = index < 8 ? high : low
        return UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64(index & 7)))
    }

    /// The first `count` (at most 8) bytes of `key` from `offset`, big-endian, zero-padded on
    /// the right; bytes past the key's end count as zero.
    @inline(__always)
    static func word(_ key: UnsafeRawBufferPointer, from offset: Int, count: Int) -> UInt64 {
        let available = min(count, key.count - offset)
        if available <= 0 { return 0 }
        if offset + 8 <= key.count {
            let word = UInt64(bigEndian: key.baseAddress!.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            return word & mask(available)
        }
        if key.count >= 8 {
            // Near the end: load the last 8 bytes and shift the wanted ones to the top.
            let start = key.count - 8
            let word = UInt64(bigEndian: key.baseAddress!.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            return (word << UInt64(8 * (offset - start))) & mask(available)
        }
        var word: UInt64 = 0
        for i in 0..<available { word |= UInt64(key[offset + i]) << (56 - 8 * UInt64(i)) }
        return word
    }

    /// A word with its first `bytes` (0...8) bytes set.
    @inline(__always)
    private static func mask(_ bytes: Int) -> UInt64 {
        bytes >= 8 ? .max : ~(UInt64.max >> UInt64(8 * bytes))
    }
}

#if STRATA_INVARIANTS
extension KeyPrefix {
    /// A prefix with these exact parts, sound or not, for tests of the checker.
    init(length: Int, high: UInt64, low: UInt64) {
        self.length = length
        self.high = high
        self.low = low
    }

    /// What is wrong with this prefix (empty when nothing is): a length past ``capacity``, or
    /// bits set past its length (the padding must be zero, or comparisons against it are off).
    func invariantViolations() -> [String] {
        var violations: [String] = []
        if !(0...KeyPrefix.capacity).contains(length) {
            violations.append("prefix length \(length) is outside 0...\(KeyPrefix.capacity)")
        }
        let clamped = max(0, min(length, KeyPrefix.capacity))
        if high & ~KeyPrefix.mask(min(clamped, 8)) != 0 || low & ~KeyPrefix.mask(max(clamped - 8, 0)) != 0 {
            violations.append("prefix of length \(length) has bytes set past its length")
        }
        return violations
    }
}
#endif
