import StrataRandom

/// The deterministic keys and values of WORKLOADS.md ("The data"), given the seed.
///
/// Keys and values are written into caller-provided buffers so that the timed
/// loops never allocate.
public struct WorkloadData: Sendable {
    /// Length of `key(i)`: 8 zero bytes, then `i` big-endian.
    public static let keyLength = 16
    /// Length of `missing(j)`: `key(j)` followed by `'.'`.
    public static let missingKeyLength = 17
    /// Length of `value(i, gen)`.
    public static let valueLength = 100
    /// `gen` of `value(i, gen)` for each phase.
    public enum Generation {
        /// fillseq and fillrandom.
        public static let fill: UInt64 = 0
        /// overwrite.
        public static let overwrite: UInt64 = 1
        /// syncwrite.
        public static let syncwrite: UInt64 = 2
    }

    /// The run's seed.
    public let seed: UInt64

    /// Data for `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// Writes `key(i)` into the first 16 bytes of `buffer`.
    @inlinable
    public static func writeKey(_ i: UInt64, into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= keyLength)
        buffer.storeBytes(of: 0, toByteOffset: 0, as: UInt64.self)
        buffer.storeBytes(of: i.bigEndian, toByteOffset: 8, as: UInt64.self)
    }

    /// Writes `missing(j)` (`key(j)` then `0x2E`) into the first 17 bytes of `buffer`.
    @inlinable
    public static func writeMissingKey(_ j: UInt64, into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= missingKeyLength)
        writeKey(j, into: buffer)
        buffer[16] = 0x2E
    }

    /// `key(i)` as an array (for tests and non-timed code).
    public static func key(_ i: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: keyLength) { buffer, count in
            writeKey(i, into: UnsafeMutableRawBufferPointer(buffer))
            count = keyLength
        }
    }

    /// `missing(j)` as an array (for tests and non-timed code).
    public static func missingKey(_ j: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: missingKeyLength) { buffer, count in
            writeMissingKey(j, into: UnsafeMutableRawBufferPointer(buffer))
            count = missingKeyLength
        }
    }

    /// Reads back `i` from a 16-byte key, or nil if `key` is not some `key(i)`.
    @inlinable
    public static func keyIndex(_ key: UnsafeRawBufferPointer) -> UInt64? {
        guard key.count == keyLength, key.loadUnaligned(fromByteOffset: 0, as: UInt64.self) == 0
        else { return nil }
        return UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// The splitmix64 state that `value(i, gen)` starts from: `seed * 2^40 + i * 4 + gen`.
    @inlinable
    func valueState(_ i: UInt64, _ gen: UInt64) -> UInt64 {
        (seed &<< 40) &+ (i &* 4) &+ gen
    }

    /// Maps one byte of a draw to a printable ASCII byte: `32 + b % 95`.
    @inlinable
    static func printable(_ r: UInt64, _ j: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: 32 &+ ((r >> UInt64(8 &* j)) & 0xFF) % 95)
    }

    /// Writes `value(i, gen)` into the first 100 bytes of `buffer`: 50 printable
    /// bytes from 7 splitmix64 draws, then the same 50 bytes again.
    @inlinable
    public func writeValue(_ i: UInt64, gen: UInt64, into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= WorkloadData.valueLength)
        var rng = SplitMix64(seed: valueState(i, gen))
        let half = WorkloadData.valueLength / 2
        var made = 0
        while made < half {
            let r = rng.next()
            var j = 0
            while j < 8 && made < half {
                let byte = WorkloadData.printable(r, j)
                buffer[made] = byte
                buffer[made &+ half] = byte
                made &+= 1
                j &+= 1
            }
        }
    }

    /// The first 8 bytes of `value(i, gen)`, loaded as a native-endian `UInt64`
    /// (compare with `loadUnaligned(as: UInt64.self)` of a stored value). Costs one draw.
    @inlinable
    public func valuePrefix(_ i: UInt64, gen: UInt64) -> UInt64 {
        var rng = SplitMix64(seed: valueState(i, gen))
        let r = rng.next()
        var bytes: UInt64 = 0
        for j in 0..<8 {
            bytes |= UInt64(WorkloadData.printable(r, j)) << UInt64(8 * j)
        }
        return UInt64(littleEndian: bytes)
    }

    /// `value(i, gen)` as an array (for tests and non-timed code).
    public func value(_ i: UInt64, gen: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: WorkloadData.valueLength) { buffer, count in
            writeValue(i, gen: gen, into: UnsafeMutableRawBufferPointer(buffer))
            count = WorkloadData.valueLength
        }
    }

    /// `perm(tag)` of `0..<n`: a Fisher–Yates shuffle driven by splitmix64
    /// from `s = seed * 1000 + tag`, swapping from the top index down.
    public func permutation(tag: UInt64, n: Int) -> [UInt32] {
        precondition(n >= 0 && n <= Int(UInt32.max))
        var a = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt32(i) }
            count = n
        }
        var rng = SplitMix64(seed: seed &* 1000 &+ tag)
        a.withUnsafeMutableBufferPointer { a in
            var i = n - 1
            while i >= 1 {
                let j = Int(rng.next() % UInt64(i + 1))
                a.swapAt(i, j)
                i -= 1
            }
        }
        return a
    }

    /// FNV-1a 64 over a permutation, each index as 4 little-endian bytes.
    public static func fnv1a64(_ permutation: [UInt32]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in permutation {
            var v = index
            for _ in 0..<4 {
                hash ^= UInt64(v & 0xFF)
                hash &*= 0x0000_0100_0000_01B3
                v >>= 8
            }
        }
        return hash
    }
}

/// The permutation tags of WORKLOADS.md.
public enum PermutationTag {
    /// fillrandom's order.
    public static let fillrandom: UInt64 = 1
    /// overwrite's order.
    public static let overwrite: UInt64 = 2
    /// readrandom's order.
    public static let readrandom: UInt64 = 3
    /// readmissing's `j`s.
    public static let readmissing: UInt64 = 4
    /// syncwrite's order.
    public static let syncwrite: UInt64 = 5
}
