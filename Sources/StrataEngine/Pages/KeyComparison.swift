#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexicographic byte order: the order of keys in every tree.
@inline(__always)
func compareBytes(
    _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer
) -> Int {
    let common = min(a.count, b.count)
    if common > 0 {
        let r = memcmp(a.baseAddress!, b.baseAddress!, common)
        if r != 0 { return Int(r) }
    }
    return a.count - b.count
}

/// Lexicographic comparison of two byte arrays.
@inline(__always)
func compareKeys(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBytes { ra in b.withUnsafeBytes { rb in compareBytes(ra, rb) } }
}
