#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How often and when a node was last read by the application (``MemoryStore/recordAccess(_:at:)``),
/// kept apart from the record so that bumping it rewrites a few bytes, not the record.
public struct AccessStats: Hashable, Sendable {
    /// How many accesses were recorded.
    public var count: UInt64
    /// The latest recorded access.
    public var last: Date

    public init(count: UInt64, last: Date) {
        self.count = count
        self.last = last
    }

    func encode() -> [UInt8] {
        var writer = RecordWriter(capacity: 12)
        writer.varint(count)
        writer.date(last)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8], id: NodeID) throws -> AccessStats {
        var reader = RecordReader(bytes, "access of", id)
        let count = try reader.varint()
        let last = try reader.date()
        try reader.finish()
        return AccessStats(count: count, last: last)
    }
}
