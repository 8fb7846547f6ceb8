/// Turns nodes into stored page bytes and back.
///
/// Payloads (before optional LZ4), all integers little-endian, varints LEB128:
/// - leaf: per entry `varint keyLength, varint (valueLength << 1 | external), key, value`
///   where an external value is a 20-byte ``PageAddress`` of a blob page;
/// - branch: `entryCount` child addresses (20 bytes each), then `entryCount - 1` separators as
///   `varint length, bytes`;
/// - blob: `varint keyLength, key, value` (the key lets segment GC find the owner).
enum PageCodec {
    /// Pages smaller than this are never compressed.
    static let compressionFloor = 128
    /// The largest raw payload accepted when decoding (guards allocation on hostile input).
    static let maxRawLength = 64 << 20

    /// Frames a raw payload: header, then the payload LZ4-compressed when that saves 1/8 or more.
    static func frame(
        kind: PageKind, treeID: UInt32, level: Int, entryCount: Int, payload: [UInt8], compress: Bool
    ) -> [UInt8] {
        var stored = payload
        var compressed = false
        if compress && payload.count >= compressionFloor {
            let packed = payload.withUnsafeBytes { LZ4.compress($0) }
            if packed.count * 8 <= payload.count * 7 {
                stored = packed
                compressed = true
            }
        }
        var writer = ByteWriter(capacity: PageHeader.size + stored.count)
        PageHeader(
            kind: kind, compressed: compressed, version: PageHeader.currentVersion, treeID: treeID,
            storedLength: UInt32(stored.count), rawLength: UInt32(payload.count), level: UInt16(level),
            entryCount: UInt32(entryCount)
        ).encode(into: &writer)
        writer.write(bytes: stored)
        return writer.bytes
    }

    /// Checks and unpacks a stored page: its header and raw payload.
    static func unframe(_ bytes: [UInt8]) throws -> (PageHeader, [UInt8]) {
        var reader = ByteReader(bytes)
        let header = try PageHeader.decode(from: &reader)
        guard header.version >= 1, header.version <= PageHeader.currentVersion,
            Int(header.storedLength) == bytes.count - PageHeader.size,
            Int(header.rawLength) <= maxRawLength
        else { throw ByteReader.OutOfBounds(offset: 0) }
        if !header.compressed {
            guard header.rawLength == header.storedLength else { throw ByteReader.OutOfBounds(offset: 0) }
            return (header, Array(bytes[PageHeader.size...]))
        }
        let raw = bytes.withUnsafeBytes { all in
            LZ4.decompress(
                UnsafeRawBufferPointer(rebasing: all[PageHeader.size...]),
                decompressedCount: Int(header.rawLength))
        }
        guard let raw else { throw ByteReader.OutOfBounds(offset: 0) }
        return (header, raw)
    }

    // MARK: Leaves

    /// Encodes a clean leaf (every value inline and small, or external).
    static func leafPayload(_ leaf: LeafNode) -> [UInt8] {
        var writer = ByteWriter(capacity: leaf.encodedSize)
        for i in 0..<leaf.count {
            let slot = leaf.slot(at: i)
            writer.writeVarint(UInt64(slot.keyLength))
            writer.writeVarint(UInt64(slot.valueLength) << 1 | (slot.kind == .external ? 1 : 0))
            leaf.withKey(at: i) { writer.write(bytes: $0) }
            writer.write(bytes: leaf.storedValue(at: i))
        }
        return writer.bytes
    }

    /// Decodes a leaf payload in one pass over its bytes: each entry's slot (where its key and
    /// value sit; the payload becomes the leaf's heap as it is, nothing is copied), and the size
    /// the leaf has encoded. Every length is checked against the payload before it is used.
    static func decodeLeaf(_ header: PageHeader, payload: [UInt8], largeValueThreshold: Int) throws -> LeafNode {
        // An entry takes at least 3 bytes (two varints and a key of one byte or more): a count
        // the payload cannot hold is damage, found before anything is allocated.
        guard header.kind == .leaf, header.level == 0, Int(header.entryCount) <= payload.count / 3 else {
            throw ByteReader.OutOfBounds(offset: 0)
        }
        let count = Int(header.entryCount)
        var slots: [LeafSlot] = []
        slots.reserveCapacity(count)
        var live = 0
        var encodedSize = LeafNode.headerSize
        let damagedAt: Int? = payload.withUnsafeBufferPointer { bytes in
            var at = 0
            for _ in 0..<count {
                let start = at
                guard let keyLength = leafVarint(bytes, &at),
                    // Keys are never empty: a zero length is damage, as for a branch's separators.
                    keyLength > 0, keyLength <= UInt64(Limits.maxKeyLength),
                    let lengthAndFlag = leafVarint(bytes, &at)
                else { return start }
                let external = lengthAndFlag & 1 == 1
                let valueLength = lengthAndFlag >> 1
                guard valueLength <= UInt64(Limits.maxValueLength) else { return start }
                let stored = external ? PageAddress.encodedSize : Int(valueLength)
                let length = Int(keyLength) + stored
                guard length <= bytes.count - at else { return at }
                slots.append(
                    LeafSlot(
                        offset: UInt32(at), keyLength: UInt16(keyLength), kind: external ? .external : .inline,
                        valueLength: UInt32(valueLength)))
                at += length
                live += length
                // As LeafNode.entryEncodedSize counts it.
                let counted = external || Int(valueLength) > largeValueThreshold ? PageAddress.encodedSize : Int(valueLength)
                encodedSize += 1 + leafVarintLength(keyLength) + leafVarintLength(valueLength << 1) + Int(keyLength) + counted
            }
            return at == bytes.count ? nil : at
        }
        if let damagedAt { throw ByteReader.OutOfBounds(offset: damagedAt) }
        return LeafNode(
            decoded: payload, slots: slots, garbage: payload.count - live, encodedSize: encodedSize,
            largeValueThreshold: largeValueThreshold)
    }

    /// Reads a LEB128 varint at `at` as ``ByteReader/readVarint()`` does (at most 10 bytes, the
    /// value in 64 bits), or nil; moves `at` past it.
    @inline(__always)
    private static func leafVarint(_ bytes: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> UInt64? {
        guard at < bytes.count else { return nil }
        let first = bytes[at]
        if first < 0x80 {
            at += 1
            return UInt64(first)
        }
        let start = at
        var index = at
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count, index - start < 10 else { return nil }
            let byte = bytes[index]
            index += 1
            let payload = UInt64(byte & 0x7F)
            // The tenth byte holds only the top bit of a 64-bit value.
            if shift == 63 && payload > 1 { return nil }
            value |= payload << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        at = index
        return value
    }

    /// The bytes of `value` as a LEB128 varint (`varintLength`, without its loop).
    @inline(__always)
    private static func leafVarintLength(_ value: UInt64) -> Int {
        (64 - (value | 1).leadingZeroBitCount + 6) / 7
    }

    // MARK: Branches

    /// Encodes a branch whose children are all stored (the checkpoint passes their addresses).
    static func branchPayload(_ branch: BranchNode, childAddresses: [PageAddress]) -> [UInt8] {
        var writer = ByteWriter(capacity: branch.encodedSize)
        for address in childAddresses { address.encode(into: &writer) }
        for i in 0..<branch.separatorCount {
            branch.withSeparator(at: i) { sep in
                writer.writeVarint(UInt64(sep.count))
                writer.write(bytes: sep)
            }
        }
        return writer.bytes
    }

    static func decodeBranch(_ header: PageHeader, payload: [UInt8]) throws -> BranchNode {
        guard header.kind == .branch, header.level >= 1, header.entryCount >= 1,
            Int(header.entryCount) * PageAddress.encodedSize <= payload.count
        else { throw ByteReader.OutOfBounds(offset: 0) }
        let node = BranchNode(level: Int(header.level))
        var reader = ByteReader(payload)
        for _ in 0..<header.entryCount { node.appendChild(ChildRef(address: try PageAddress.decode(from: &reader))) }
        for _ in 1..<header.entryCount {
            let length = try reader.readLength(limit: Limits.maxKeyLength)
            // Separators are keys, and keys are never empty.
            guard length > 0 else { throw ByteReader.OutOfBounds(offset: reader.offset) }
            let bytes = try reader.readBytes(count: length)
            bytes.withUnsafeBytes { node.appendSeparator($0) }
        }
        guard reader.isAtEnd else { throw ByteReader.OutOfBounds(offset: 0) }
        return node
    }

    // MARK: Blobs

    static func blobPayload(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> [UInt8] {
        var writer = ByteWriter(capacity: key.count + value.count + 4)
        writer.writeVarint(UInt64(key.count))
        writer.write(bytes: key)
        writer.write(bytes: value)
        return writer.bytes
    }

    /// The owning key and the value of a blob page.
    static func decodeBlob(_ header: PageHeader, payload: [UInt8]) throws -> (key: [UInt8], value: [UInt8]) {
        guard header.kind == .blob else { throw ByteReader.OutOfBounds(offset: 0) }
        var reader = ByteReader(payload)
        let keyLength = try reader.readLength(limit: Limits.maxKeyLength)
        guard keyLength > 0 else { throw ByteReader.OutOfBounds(offset: reader.offset) }
        let key = Array(try reader.readBytes(count: keyLength))
        let value = Array(payload[reader.offset...])
        return (key, value)
    }
}
