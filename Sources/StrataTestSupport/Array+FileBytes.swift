// Byte-array helpers that give in-memory files POSIX behaviour.

extension Array where Element == UInt8 {
    /// Writes `bytes` at `offset`, zero-filling any gap past the end, as `pwrite` does.
    /// (Zeros come from an `Array(repeating:)`: `repeatElement` is slow in debug builds.)
    mutating func overwrite(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        guard !bytes.isEmpty else { return }
        let end = offset + bytes.count
        if end > count { append(contentsOf: [UInt8](repeating: 0, count: end - count)) }
        withUnsafeMutableBytes { destination in
            UnsafeMutableRawBufferPointer(rebasing: destination[offset..<end]).copyMemory(from: bytes)
        }
    }

    /// Truncates or zero-extends to `length` bytes, as `ftruncate` does.
    mutating func resize(to length: Int) {
        if length < count {
            removeLast(count - length)
        } else {
            append(contentsOf: [UInt8](repeating: 0, count: length - count))
        }
    }

    /// Copies up to `buffer.count` bytes at `offset` into `buffer`; returns how many.
    func copyBytes(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard offset < count else { return 0 }
        let available = Swift.min(buffer.count, count - offset)
        withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + available]))
        }
        return available
    }
}
