/// What the catalog records of one segment file.
struct SegmentInfo: Sendable, Equatable {
    var id: UInt32
    /// Bytes of the file that belong to durable checkpoints.
    var length: UInt64
    /// Bytes of pages still referenced by the newest checkpoint.
    var liveBytes: UInt64

    var liveRatio: Double { length == 0 ? 1 : Double(liveBytes) / Double(length) }
}

/// File names inside a database directory.
enum DatabaseFiles {
    static let lock = "LOCK"
    static let superblock = "SUPERBLOCK"
    static let superblockTemporary = "SUPERBLOCK.tmp"

    static func segment(_ id: UInt32) -> String { "seg-" + zeroPadded(UInt64(id), 8) + ".dat" }
    static func wal(_ id: UInt64) -> String { "wal-" + zeroPadded(id, 8) + ".log" }

    static func segmentID(fromName name: String) -> UInt32? {
        guard name.hasPrefix("seg-"), name.hasSuffix(".dat"), name.count == 16 else { return nil }
        return UInt32(name.dropFirst(4).prefix(8))
    }

    static func walID(fromName name: String) -> UInt64? {
        guard name.hasPrefix("wal-"), name.hasSuffix(".log"), name.count == 16 else { return nil }
        return UInt64(name.dropFirst(4).prefix(8))
    }

    private static func zeroPadded(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
