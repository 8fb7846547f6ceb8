/// Lexicographic byte order: the order of keys in every tree.
///
/// Compares eight bytes at a time as big-endian words (keys are mostly short, so this beats a
/// call to `memcmp`), then the remaining bytes one by one, then the lengths.
@inline(__always)
func compareBytes(
    _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer
) -> Int {
    let common = min(a.count, b.count)
    var offset = 0
    if common >= 8 {
        let pa = a.baseAddress!
        let pb = b.baseAddress!
        while offset + 8 <= common {
            let wa = UInt64(bigEndian: pa.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let wb = UInt64(bigEndian: pb.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            if wa != wb { return wa < wb ? -1 : 1 }
            offset += 8
        }
    }
    while offset < common {
        let x = a[offset]
        let y = b[offset]
        if x != y { return x < y ? -1 : 1 }
        offset += 1
    }
    return a.count - b.count
}

/// Lexicographic comparison of two byte arrays.
@inline(__always)
func compareKeys(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBytes { ra in b.withUnsafeBytes { rb in compareBytes(ra, rb) } }
}
