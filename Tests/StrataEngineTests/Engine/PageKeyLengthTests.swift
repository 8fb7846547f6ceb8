@testable import StrataEngine
import Testing

/// FORMAT.md: a stored key is 1 ..= 2048 bytes, in leaves and blob pages alike. A length of 0
/// or past the bound is damage, and the decoder rejects it instead of building a node.
@Suite("Stored key length")
struct PageKeyLengthTests {
    static func leafPayload(keys: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter()
        for key in keys {
            writer.writeVarint(UInt64(key.count))
            writer.writeVarint(UInt64(3) << 1)
            writer.write(bytes: key)
            writer.write(bytes: [7, 8, 9])
        }
        return writer.bytes
    }

    static func header(_ kind: PageKind, entries: Int, payload: [UInt8]) -> PageHeader {
        PageHeader(
            kind: kind, compressed: false, version: PageHeader.currentVersion, treeID: 1,
            storedLength: UInt32(payload.count), rawLength: UInt32(payload.count), level: 0,
            entryCount: UInt32(entries))
    }

    @Test(arguments: [0, 1, 2048, 2049])
    func leafKeyLength(_ length: Int) {
        let keys = [[UInt8]("a".utf8), [UInt8](repeating: 0x62, count: length)]
        let payload = Self.leafPayload(keys: keys)
        let decoded = try? PageCodec.decodeLeaf(Self.header(.leaf, entries: 2, payload: payload), payload: payload, largeValueThreshold: 1024)
        #expect((decoded != nil) == (1...Limits.maxKeyLength).contains(length))
        if let decoded { #expect(decoded.key(at: 1) == keys[1]) }
    }

    @Test(arguments: [0, 1, 2048, 2049])
    func blobKeyLength(_ length: Int) {
        var writer = ByteWriter()
        writer.writeVarint(UInt64(length))
        writer.write(bytes: [UInt8](repeating: 0x62, count: length))
        writer.write(bytes: [1, 2, 3])
        let payload = writer.bytes
        let decoded = try? PageCodec.decodeBlob(Self.header(.blob, entries: 1, payload: payload), payload: payload)
        #expect((decoded != nil) == (1...Limits.maxKeyLength).contains(length))
    }
}
