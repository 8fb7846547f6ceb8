/// One change inside a commit, as the redo log records it.
enum Operation: Sendable, Equatable {
    case put(tree: UInt32, key: [UInt8], value: [UInt8])
    case remove(tree: UInt32, key: [UInt8])
    case clear(tree: UInt32)
    /// Written as code 4 for a default, unowned tree, else as code 6 with the settings and owner.
    case createTree(tree: UInt32, name: String, settings: TreeSettings = .default, owner: String? = nil)
    case dropTree(tree: UInt32)

    var treeID: UInt32 {
        switch self {
        case .put(let t, _, _), .remove(let t, _), .clear(let t), .createTree(let t, _, _, _), .dropTree(let t): t
        }
    }

    /// Op codes in the frame body.
    enum Code: UInt8 {
        case put = 1, remove = 2, clear = 3, createTree = 4, dropTree = 5
        /// A create-tree with per-tree settings or an owner (format 2).
        case createTreeWithSettings = 6
    }

    func encode(into writer: inout ByteWriter) {
        switch self {
        case .put(let tree, let key, let value):
            key.withUnsafeBytes { k in value.withUnsafeBytes { Operation.encodePut(tree: tree, key: k, value: $0, into: &writer) } }
        case .remove(let tree, let key):
            key.withUnsafeBytes { Operation.encodeRemove(tree: tree, key: $0, into: &writer) }
        case .clear(let tree):
            writer.write(Code.clear.rawValue)
            writer.writeVarint(UInt64(tree))
        case .createTree(let tree, let name, let settings, let owner):
            let plain = settings.isDefault && owner == nil
            writer.write(plain ? Code.createTree.rawValue : Code.createTreeWithSettings.rawValue)
            writer.writeVarint(UInt64(tree))
            let bytes = Array(name.utf8)
            writer.writeVarint(UInt64(bytes.count))
            writer.write(bytes: bytes)
            guard !plain else { return }
            writer.writeVarint(UInt64(settings.largeValueThreshold ?? 0))
            writer.write(settings.compression.map { $0 ? UInt8(1) : 2 } ?? 0)
            let ownerBytes = Array((owner ?? "").utf8)
            writer.writeVarint(UInt64(ownerBytes.count))
            writer.write(bytes: ownerBytes)
        case .dropTree(let tree):
            writer.write(Code.dropTree.rawValue)
            writer.writeVarint(UInt64(tree))
        }
    }

    /// Bytes ``encodePut(tree:key:value:into:)`` writes.
    static func encodedPutSize(tree: UInt32, keyLength: Int, valueLength: Int) -> Int {
        1 + varintLength(UInt64(tree)) + varintLength(UInt64(keyLength)) + keyLength
            + varintLength(UInt64(valueLength)) + valueLength
    }

    /// Bytes ``encodeRemove(tree:key:into:)`` writes.
    static func encodedRemoveSize(tree: UInt32, keyLength: Int) -> Int {
        1 + varintLength(UInt64(tree)) + varintLength(UInt64(keyLength)) + keyLength
    }

    /// Bytes ``encode(into:)`` writes.
    var encodedSize: Int {
        switch self {
        case .put(let tree, let key, let value):
            Operation.encodedPutSize(tree: tree, keyLength: key.count, valueLength: value.count)
        case .remove(let tree, let key): Operation.encodedRemoveSize(tree: tree, keyLength: key.count)
        case .clear(let tree), .dropTree(let tree): 1 + varintLength(UInt64(tree))
        case .createTree(let tree, let name, let settings, let owner):
            1 + varintLength(UInt64(tree)) + varintLength(UInt64(name.utf8.count)) + name.utf8.count
                + (settings.isDefault && owner == nil
                    ? 0
                    : varintLength(UInt64(settings.largeValueThreshold ?? 0)) + 1
                        + varintLength(UInt64((owner ?? "").utf8.count)) + (owner ?? "").utf8.count)
        }
    }

    /// Writes a put from borrowed bytes (what a transaction records for each insert).
    static func encodePut(
        tree: UInt32, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, into writer: inout ByteWriter
    ) {
        writer.write(Code.put.rawValue)
        writer.writeVarint(UInt64(tree))
        writer.writeVarint(UInt64(key.count))
        writer.write(bytes: key)
        writer.writeVarint(UInt64(value.count))
        writer.write(bytes: value)
    }

    /// Writes a remove from borrowed bytes.
    static func encodeRemove(tree: UInt32, key: UnsafeRawBufferPointer, into writer: inout ByteWriter) {
        writer.write(Code.remove.rawValue)
        writer.writeVarint(UInt64(tree))
        writer.writeVarint(UInt64(key.count))
        writer.write(bytes: key)
    }

    /// An owned copy of an operation lent from an encoded buffer.
    init(_ borrowed: BorrowedOperation) {
        switch borrowed {
        case .put(let tree, let key, let value): self = .put(tree: tree, key: Array(key), value: Array(value))
        case .remove(let tree, let key): self = .remove(tree: tree, key: Array(key))
        case .clear(let tree): self = .clear(tree: tree)
        case .createTree(let tree, let name, let settings, let owner):
            self = .createTree(tree: tree, name: name, settings: settings, owner: owner)
        case .dropTree(let tree): self = .dropTree(tree: tree)
        }
    }
}
