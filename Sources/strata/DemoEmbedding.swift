/// The demo's embedding space: a hashed bag of words in 64 dimensions, made without a model or
/// the network, the same on every machine and run.
///
/// Each word (lower-cased, split on anything not a letter or digit) is hashed with FNV-1a 64 (not
/// Swift's `Hasher`, which is seeded per process); the hash picks a dimension and a sign, and the
/// vector is normalised to length 1. Texts sharing words are near under the cosine metric.
enum DemoEmbedding {
    static let dimension = 64
    static let spaceName = "bow64"
    static let model = "hashed-bag-of-words-fnv1a-64"

    /// The unit vector of `text` (all zeros but one for a text without words).
    static func vector(of text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        var any = false
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let hash = fnv1a(word.utf8)
            vector[Int(hash % UInt64(dimension))] += (hash >> 32) & 1 == 0 ? 1 : -1
            any = true
        }
        if !any { vector[0] = 1 }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }

    /// FNV-1a, 64 bits.
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
