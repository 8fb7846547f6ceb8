@testable import StrataEngine
import StrataRandom
import Testing

/// A leaf read from a page (a cache miss) is decoded in one pass: it must be the leaf that was
/// encoded (keys, values, hints, the encoded size that drives splits), and every damaged
/// payload must be refused, not half-decoded.
@Suite("Leaf decode")
struct LeafDecodeTests {
    /// A leaf of `count` entries with keys sharing a prefix, values of 0 ... 1,500 bytes (some
    /// above the 1,024-byte threshold, counted as out of line) and a few external values.
    static func leaf(count: Int, seed: UInt64) -> LeafNode {
        var random = SplitMix64(seed: seed)
        let leaf = LeafNode(largeValueThreshold: 1024)
        for index in 0..<count {
            let digits = String(index * 7)
            let key = Array("tenant/agent/".utf8) + Array((String(repeating: "0", count: 6 - digits.count) + digits).utf8)
            let length = Int(random.next() % 1500)
            if index % 9 == 4 {
                let address = PageAddress(segment: 3, offset: UInt32(index) * 4096, length: 900, checksum: random.next())
                key.withUnsafeBytes { leaf.appendExternal(key: $0, address: address, valueLength: 5000 + length) }
            } else {
                let value = (0..<length).map { UInt8(truncatingIfNeeded: $0 &+ index) }
                key.withUnsafeBytes { k in value.withUnsafeBytes { leaf.insert(at: leaf.count, key: k, value: $0) } }
            }
        }
        return leaf
    }

    static func header(entries: Int, payload: [UInt8]) -> PageHeader {
        PageHeader(
            kind: .leaf, compressed: false, version: PageHeader.currentVersion, treeID: 1,
            storedLength: UInt32(payload.count), rawLength: UInt32(payload.count), level: 0,
            entryCount: UInt32(entries))
    }

    @Test(arguments: [1, 2, 17, 300])
    func decodedLeafIsTheEncodedOne(count: Int) throws {
        let original = Self.leaf(count: count, seed: UInt64(count))
        let payload = PageCodec.leafPayload(original)
        let decoded = try PageCodec.decodeLeaf(Self.header(entries: count, payload: payload), payload: payload, largeValueThreshold: 1024)
        #expect(decoded.count == count)
        #expect(decoded.encodedSize == original.encodedSize)
        #expect(decoded.encodedSize == LeafNode.headerSize + (0..<count).reduce(0) { $0 + decoded.entryEncodedSize(decoded.slot(at: $1)) })
        for index in 0..<count {
            #expect(decoded.key(at: index) == original.key(at: index))
            #expect(decoded.storedValue(at: index) == original.storedValue(at: index))
            #expect(decoded.slot(at: index).kind == original.slot(at: index).kind)
            #expect(decoded.slot(at: index).valueLength == original.slot(at: index).valueLength)
            #expect(decoded.slot(at: index).hint == original.slot(at: index).hint)
            let found = original.key(at: index).withUnsafeBytes { decoded.search($0) }
            #expect(found == (index, true))
        }
        // A smaller threshold (a reopen with another configuration) counts more values as out of line.
        let smaller = try PageCodec.decodeLeaf(Self.header(entries: count, payload: payload), payload: payload, largeValueThreshold: 64)
        #expect(smaller.encodedSize == LeafNode.headerSize + (0..<count).reduce(0) { $0 + smaller.entryEncodedSize(smaller.slot(at: $1)) })
    }

    @Test func damagedPayloadsAreRefused() {
        let original = Self.leaf(count: 40, seed: 9)
        let payload = PageCodec.leafPayload(original)
        func decodes(_ bytes: [UInt8], entries: Int = 40) -> Bool {
            (try? PageCodec.decodeLeaf(Self.header(entries: entries, payload: bytes), payload: bytes, largeValueThreshold: 1024)) != nil
        }
        #expect(decodes(payload))
        // Cut short anywhere, one entry too many or too few, or trailing bytes.
        for cut in stride(from: 0, to: payload.count, by: 97) { #expect(!decodes(Array(payload[..<cut]))) }
        #expect(!decodes(payload, entries: 41))
        #expect(!decodes(payload, entries: 39))
        #expect(!decodes(payload + [0]))
        // A count no payload of this size can hold (each entry takes 3 bytes or more).
        #expect(!decodes(payload, entries: payload.count / 3 + 1))
        #expect(!decodes(payload, entries: Int(UInt32.max)))
        // An eleven-byte varint, and one past 64 bits, as the first key length.
        #expect(!decodes([UInt8](repeating: 0x80, count: 10) + [0x01] + payload))
        #expect(!decodes([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02] + payload))
        // A value length past the limit.
        var writer = ByteWriter()
        writer.writeVarint(1)
        writer.writeVarint(UInt64(Limits.maxValueLength + 1) << 1)
        writer.write(bytes: [0x61])
        #expect(!decodes(writer.bytes + [UInt8](repeating: 0, count: 64), entries: 1))
    }

    /// The writer's first change to a leaf read from disk copies it: in bulk (its only dead
    /// bytes are the length varints), and the copy is a sound, independent leaf.
    @Test func aDecodedLeafIsCopiedInBulkAndStaysIndependent() throws {
        let original = Self.leaf(count: 60, seed: 5)
        let payload = PageCodec.leafPayload(original)
        let decoded = try PageCodec.decodeLeaf(Self.header(entries: 60, payload: payload), payload: payload, largeValueThreshold: 1024)
        #expect(decoded.garbage > 0)
        let copy = decoded.copy()
        #expect(copy.heap.count == decoded.heap.count)
        #expect(copy.garbage == decoded.garbage)
        #expect(copy.encodedSize == decoded.encodedSize)
        for index in 0..<60 {
            #expect(copy.key(at: index) == decoded.key(at: index))
            #expect(copy.storedValue(at: index) == decoded.storedValue(at: index))
            #expect(copy.slot(at: index).hint == decoded.slot(at: index).hint)
        }
        // Changes to the copy leave the decoded leaf as it was.
        let key = Array("tenant/agent/000001".utf8)
        let value: [UInt8] = [1, 2, 3]
        let at = key.withUnsafeBytes { copy.search($0) }
        #expect(at.found == false)
        key.withUnsafeBytes { k in value.withUnsafeBytes { copy.insert(at: at.index, key: k, value: $0) } }
        copy.remove(at: 0)
        #expect(copy.count == 60)
        #expect(decoded.count == 60)
        #expect(decoded.key(at: 0) == original.key(at: 0))
        #expect(key.withUnsafeBytes { decoded.search($0) }.found == false)
        let payloadAfter = PageCodec.leafPayload(copy)
        let reread = try PageCodec.decodeLeaf(
            Self.header(entries: 60, payload: payloadAfter), payload: payloadAfter, largeValueThreshold: 1024)
        #expect(reread.encodedSize == copy.encodedSize)
        #expect(key.withUnsafeBytes { reread.search($0) }.found)
    }

    /// A leaf with more than an eighth of its heap dead is compacted by the copy.
    @Test func aWastefulLeafIsCompactedByTheCopy() {
        let leaf = LeafNode(largeValueThreshold: 1024)
        for index in 0..<40 {
            let key = Array("key\(1000 + index)".utf8)
            let value = [UInt8](repeating: UInt8(index), count: 100)
            key.withUnsafeBytes { k in value.withUnsafeBytes { leaf.insert(at: leaf.count, key: k, value: $0) } }
        }
        let shorter = [UInt8](repeating: 9, count: 50)
        for index in 0..<10 { shorter.withUnsafeBytes { leaf.replaceValue(at: index, value: $0) } }
        #expect(leaf.garbage * 8 > leaf.heap.count)
        let copy = leaf.copy()
        #expect(copy.garbage == 0)
        #expect(copy.encodedSize == leaf.encodedSize)
        #expect((0..<40).allSatisfy { copy.key(at: $0) == leaf.key(at: $0) && copy.storedValue(at: $0) == leaf.storedValue(at: $0) })
    }
}
