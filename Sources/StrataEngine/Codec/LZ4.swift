import CLZ4

/// Block compression with LZ4 (the raw block format, without frames).
///
/// The block format does not record the uncompressed size; callers store it beside the block.
enum LZ4 {
    /// The largest input ``compress(_:)`` accepts (`LZ4_MAX_INPUT_SIZE`, about 2 GiB).
    static let maximumInputCount = Int(LZ4_MAX_INPUT_SIZE)

    /// Compresses `input` into an LZ4 block (`LZ4_compress_default`).
    ///
    /// Input larger than ``maximumInputCount`` is a programmer error and traps.
    static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(input.count <= maximumInputCount, "LZ4 input of \(input.count) bytes is too large")
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        return [UInt8](unsafeUninitializedCapacity: bound) { destination, count in
            let written = LZ4_compress_default(
                input.baseAddress?.assumingMemoryBound(to: CChar.self),
                UnsafeMutableRawPointer(destination.baseAddress!).assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(bound))
            // With a destination of LZ4_compressBound bytes, compression cannot fail.
            precondition(written > 0, "LZ4_compress_default failed")
            count = Int(written)
        }
    }

    /// Decompresses an LZ4 block that must expand to exactly `decompressedCount` bytes
    /// (`LZ4_decompress_safe`, which never reads or writes out of bounds on hostile input).
    ///
    /// Returns `nil` if the block is malformed or expands to a different size.
    static func decompress(_ input: UnsafeRawBufferPointer, decompressedCount: Int) -> [UInt8]? {
        guard decompressedCount >= 0, decompressedCount <= maximumInputCount,
            input.count <= Int(Int32.max)
        else { return nil }
        // An empty block is one zero token byte; handle size 0 here so the C call
        // always gets a real destination buffer.
        if decompressedCount == 0 {
            return input.count == 1 && input[0] == 0 ? [] : nil
        }
        guard let source = input.baseAddress else { return nil }
        var succeeded = false
        let output = [UInt8](unsafeUninitializedCapacity: decompressedCount) { destination, count in
            let produced = LZ4_decompress_safe(
                source.assumingMemoryBound(to: CChar.self),
                UnsafeMutableRawPointer(destination.baseAddress!).assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(decompressedCount))
            succeeded = Int(produced) == decompressedCount
            // On failure the bytes may be partly uninitialized: keep none of them.
            count = succeeded ? decompressedCount : 0
        }
        return succeeded ? output : nil
    }
}
