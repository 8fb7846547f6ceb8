import CXXHash

/// The checksum Strata stores beside its records and pages: 64-bit XXH3 with seed 0.
enum Checksum {
    /// The XXH3 64-bit hash of `buffer` (the C function `XXH3_64bits`).
    static func xxh3(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        // XXH3 accepts a null pointer only with a zero length, which is what an empty buffer has.
        UInt64(XXH3_64bits(buffer.baseAddress, buffer.count))
    }

    /// The XXH3 64-bit hash of `bytes`.
    static func xxh3(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { xxh3($0) }
    }

    /// The XXH3 64-bit hash of `bytes`.
    static func xxh3(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBytes { xxh3($0) }
    }
}
