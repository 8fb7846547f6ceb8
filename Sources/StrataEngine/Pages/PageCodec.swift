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

    static func decodeLeaf(_ header: PageHeader, payload: [UInt8], largeValueThreshold: Int) throws -> LeafNode {
        guard header.kind == .leaf, header.level == 0 else { throw ByteReader.OutOfBounds(offset: 0) }
        var reader = ByteReader(payload)
        var slots: [LeafSlot] = []
        slots.reserveCapacity(Int(min(header.entryCount, 1 << 16)))
        var live = 0
        for _ in 0..<header.entryCount {
            let keyLength = try reader.readLength(limit: Limits.maxKeyLength)
            // Keys are never empty: a zero length is damage, as for a branch's separators.
            guard keyLength > 0 else { throw ByteReader.OutOfBounds(offset: reader.offset) }
            let lengthAndFlag = try reader.readVarint()
            let external = lengthAndFlag & 1 == 1
            let valueLength = lengthAndFlag >> 1
            guard valueLength <= UInt64(Limits.maxValueLength) else { throw ByteReader.OutOfBounds(offset: 0) }
            let offset = reader.offset
            let stored = external ? PageAddress.encodedSize : Int(valueLength)
            try reader.skip(keyLength + stored)
            slots.append(
                LeafSlot(
                    offset: UInt32(offset), keyLength: UInt16(keyLength), kind: external ? .external : .inline,
                    valueLength: UInt32(valueLength)))
            live += keyLength + stored
        }
        guard reader.isAtEnd else { throw ByteReader.OutOfBounds(offset: 0) }
        return LeafNode(heap: payload, slots: slots, garbage: payload.count - live, largeValueThreshold: largeValueThreshold)
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
