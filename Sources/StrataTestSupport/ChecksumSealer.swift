@_spi(Fuzzing) import StrataEngine

/// Rewrites the checksums of structures a fuzzer mutated, so that its inputs get past the
/// checksum checks to the decoding and recovery logic behind them. Only the stored checksum
/// fields change; anything that does not parse far enough to find one is left as it is.
public enum ChecksumSealer {
    static let frameMagic: [UInt8] = [0x53, 0x57, 0x41, 0x4C]

    /// Repairs the trailer of each WAL frame found back to back from `start`.
    public static func sealFrames(_ bytes: inout [UInt8], from start: Int) {
        var offset = start
        while offset + 28 <= bytes.count, bytes[offset..<offset + 4].elementsEqual(frameMagic) {
            let length = Int(readUInt32(bytes, at: offset + 4))
            guard length >= 4, length <= 48 << 20, offset + 28 + length <= bytes.count else { return }
            let end = offset + 20 + length
            writeUInt64(DecoderProbes.checksum(bytes[offset..<end]), into: &bytes, at: end)
            offset = end + 8
        }
    }

    /// Repairs a superblock slot's checksum (bytes 120 ..< 128 over 0 ..< 120).
    public static func sealSuperblockSlot(_ slot: inout [UInt8], at base: Int = 0) {
        guard base + 128 <= slot.count else { return }
        writeUInt64(DecoderProbes.checksum(slot[base..<base + 120]), into: &slot, at: base + 120)
    }

    /// Repairs, in a database directory's files, the superblock slots' catalog address and
    /// what it reaches: the catalog's tree roots and, below uncompressed branches, their
    /// children, bottom up; then each slot's own checksum.
    static func sealDatabase(_ files: inout [String: [UInt8]], slots: [Int]) {
        for slot in slots {
            let base = slot * 4096
            guard let superblock = files["SUPERBLOCK"], base + 128 <= superblock.count else { continue }
            if superblock[base + 56] == 1 {
                var visited: Set<[UInt8]> = []
                sealAddress(in: "SUPERBLOCK", at: base + 57, files: &files, depth: 0, visited: &visited)
            }
            sealSuperblockSlot(&files["SUPERBLOCK", default: []], at: base)
        }
    }

    /// Sets the checksum of the 20-byte page address at `position` in file `holder` to that
    /// of the bytes it points at, after sealing the addresses inside that page.
    private static func sealAddress(
        in holder: String, at position: Int, files: inout [String: [UInt8]], depth: Int, visited: inout Set<[UInt8]>
    ) {
        guard depth < 16, let bytes = files[holder], position + 20 <= bytes.count else { return }
        guard visited.insert(Array(bytes[position..<position + 12])).inserted else { return }
        let id = String(readUInt32(bytes, at: position))
        let name = "seg-" + String(repeating: "0", count: max(0, 8 - id.count)) + id + ".dat"
        let offset = Int(readUInt32(bytes, at: position + 4))
        let length = Int(readUInt32(bytes, at: position + 8))
        guard let page = files[name], length >= 24, offset + length <= page.count else { return }
        for child in childAddresses(ofPageAt: offset, length: length, in: page) {
            sealAddress(in: name, at: child, files: &files, depth: depth + 1, visited: &visited)
        }
        guard let sealed = files[name] else { return }
        writeUInt64(DecoderProbes.checksum(sealed[offset..<offset + length]), into: &files[holder, default: []], at: position + 12)
    }

    /// Where the page addresses inside an uncompressed branch or catalog page are.
    private static func childAddresses(ofPageAt offset: Int, length: Int, in page: [UInt8]) -> [Int] {
        guard page[offset + 1] & 1 == 0 else { return [] }
        let payload = offset + 24
        let end = offset + length
        var positions: [Int] = []
        switch page[offset] {
        case 2:
            let children = Int(readUInt32(page, at: offset + 20))
            for i in 0..<min(children, 1024) where payload + (i + 1) * 20 <= end { positions.append(payload + i * 20) }
        case 4:
            var cursor = payload + 4
            guard cursor + 4 <= end else { return [] }
            let trees = Int(readUInt32(page, at: cursor))
            cursor += 4
            for _ in 0..<min(trees, 1024) {
                guard cursor + 13 <= end else { break }
                let hasRoot = page[cursor + 12] == 1
                cursor += 13
                if hasRoot {
                    guard cursor + 20 <= end else { break }
                    positions.append(cursor)
                    cursor += 20
                }
                guard cursor + 2 <= end else { break }
                cursor += 2 + (Int(page[cursor]) | Int(page[cursor + 1]) << 8)
            }
        default:
            break
        }
        return positions
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    static func writeUInt64(_ value: UInt64, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
}
