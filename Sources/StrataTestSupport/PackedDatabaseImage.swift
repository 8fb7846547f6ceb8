import StrataEngine

/// A database directory packed into one byte string: the input format of the `fuzz-open`
/// target and of its regression files.
///
/// Any byte string unpacks to some directory, so a fuzzer can mutate it freely. It is a run of
/// records, each `u8 tag`, `u16` little-endian length, then that many bytes (fewer if the
/// input ends first). `tag % 16` says where the bytes go:
///
/// | tag | file |
/// | --- | --- |
/// | 0, 1 | `SUPERBLOCK` slot 0 (offset 0) or slot 1 (offset 4096), at most 4096 bytes |
/// | 2 ... 5 | `seg-00000001.dat` ... `seg-00000004.dat` |
/// | 6 ... 9 | `wal-00000001.log` ... `wal-00000004.log` |
/// | others | ignored |
///
/// A record for a file already seen appends to it. When either slot is present, `SUPERBLOCK`
/// is 8192 bytes, zero where no record wrote; without one there is no `SUPERBLOCK`.
///
/// Bit 4 of the tag (`0x10`) *seals* the file, so that mutations get past the checksums:
/// a sealed WAL file has each frame's checksum recomputed, and a sealed superblock slot has
/// its catalog address, the tree roots in that catalog and the children of uncompressed
/// branches below them re-checksummed bottom up, then its own checksum (see
/// ``ChecksumSealer``). ``packed()`` seals every slot and WAL file.
public struct PackedDatabaseImage: Sendable, Equatable {
    /// File name in the database directory → contents.
    public var files: [String: [UInt8]]

    static let slotSize = 4096
    static let maxFileID = 4

    /// Unpacks `bytes`; never fails.
    public init(unpacking bytes: [UInt8]) {
        var files: [String: [UInt8]] = [:]
        var slots: [[UInt8]?] = [nil, nil]
        var sealedSlots: Set<Int> = []
        var sealedFiles: Set<String> = []
        var offset = 0
        while offset + 3 <= bytes.count {
            let tag = Int(bytes[offset] & 0x0F)
            let seal = bytes[offset] & 0x10 != 0
            let length = Int(bytes[offset + 1]) | Int(bytes[offset + 2]) << 8
            let start = offset + 3
            let end = min(start + length, bytes.count)
            let body = bytes[start..<end]
            offset = end
            switch tag {
            case 0, 1:
                slots[tag] = (slots[tag] ?? []) + body
                if seal { sealedSlots.insert(tag) }
            case 2...5:
                files[Self.segmentName(tag - 1), default: []].append(contentsOf: body)
            case 6...9:
                files[Self.walName(tag - 5), default: []].append(contentsOf: body)
                if seal { sealedFiles.insert(Self.walName(tag - 5)) }
            default:
                continue
            }
        }
        if slots[0] != nil || slots[1] != nil {
            var superblock = [UInt8](repeating: 0, count: 2 * Self.slotSize)
            for (index, slot) in slots.enumerated() {
                guard let slot else { continue }
                let count = min(slot.count, Self.slotSize)
                superblock.replaceSubrange(index * Self.slotSize..<index * Self.slotSize + count, with: slot.prefix(count))
            }
            files["SUPERBLOCK"] = superblock
        }
        for name in sealedFiles { ChecksumSealer.sealFrames(&files[name, default: []], from: 16) }
        ChecksumSealer.sealDatabase(&files, slots: sealedSlots.sorted())
        self.files = files
    }

    /// The files of the database directory `path` in `fileSystem` that the format can hold.
    /// Returns nil if the directory has a segment or WAL file with an id above 4.
    public init?(directory path: String, in fileSystem: MemoryFileSystem) {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        var files: [String: [UInt8]] = [:]
        for (filePath, contents) in fileSystem.allEntries().files where filePath.hasPrefix(prefix) {
            let name = String(filePath.dropFirst(prefix.count))
            if name == "LOCK" { continue }
            let known =
                name == "SUPERBLOCK" || (1...Self.maxFileID).contains { name == Self.segmentName($0) || name == Self.walName($0) }
            guard known else { return nil }
            files[name] = contents
        }
        self.files = files
    }

    /// The packed form, superblock slots and WAL files sealed; unpacking it gives back these
    /// files when their checksums are right (trailing zeros of superblock slots are dropped).
    public func packed() -> [UInt8] {
        var out: [UInt8] = []
        func record(_ tag: Int, _ bytes: some Collection<UInt8>) {
            var remaining = bytes[...]
            repeat {
                let chunk = remaining.prefix(Int(UInt16.max))
                out.append(UInt8(tag))
                out.append(UInt8(chunk.count & 0xFF))
                out.append(UInt8(chunk.count >> 8))
                out.append(contentsOf: chunk)
                remaining = remaining.dropFirst(chunk.count)
            } while !remaining.isEmpty
        }
        if let superblock = files["SUPERBLOCK"] {
            for slot in 0..<2 {
                let bytes = superblock.dropFirst(slot * Self.slotSize).prefix(Self.slotSize)
                let used = (bytes.lastIndex { $0 != 0 }).map { bytes[...$0] } ?? bytes.prefix(0)
                if !used.isEmpty { record(slot | 0x10, used) }
            }
        }
        for id in 1...Self.maxFileID {
            if let bytes = files[Self.segmentName(id)] { record(id + 1, bytes) }
            if let bytes = files[Self.walName(id)] { record((id + 5) | 0x10, bytes) }
        }
        return out
    }

    /// Writes the files into directory `path` of `fileSystem`.
    public func write(to path: String, in fileSystem: MemoryFileSystem) throws {
        try fileSystem.createDirectory(path)
        for (name, bytes) in files { fileSystem.setContents(bytes, of: path + "/" + name) }
    }

    static func segmentName(_ id: Int) -> String { "seg-0000000\(id).dat" }
    static func walName(_ id: Int) -> String { "wal-0000000\(id).log" }
}
