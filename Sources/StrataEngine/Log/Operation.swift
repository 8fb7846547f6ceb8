/// One change inside a commit, as the redo log records it.
enum Operation: Sendable, Equatable {
    case put(tree: UInt32, key: [UInt8], value: [UInt8])
    case remove(tree: UInt32, key: [UInt8])
    case clear(tree: UInt32)
    case createTree(tree: UInt32, name: String)
    case dropTree(tree: UInt32)

    var treeID: UInt32 {
        switch self {
        case .put(let t, _, _), .remove(let t, _), .clear(let t), .createTree(let t, _), .dropTree(let t): t
        }
    }

    /// At least the bytes ``encode(into:)`` writes (op code and varints counted at their maximum).
    var encodedSizeBound: Int {
        switch self {
        case .put(_, let key, let value): 1 + 5 + 10 + key.count + 10 + value.count
        case .remove(_, let key): 1 + 5 + 10 + key.count
        case .createTree(_, let name): 1 + 5 + 10 + name.utf8.count
        case .clear, .dropTree: 1 + 5
        }
    }

    /// Op codes in the frame body.
    enum Code: UInt8 {
        case put = 1, remove = 2, clear = 3, createTree = 4, dropTree = 5
    }

    func encode(into writer: inout ByteWriter) {
        switch self {
        case .put(let tree, let key, let value):
            writer.write(Code.put.rawValue)
            writer.writeVarint(UInt64(tree))
            writer.writeVarint(UInt64(key.count))
            writer.write(bytes: key)
            writer.writeVarint(UInt64(value.count))
            writer.write(bytes: value)
        case .remove(let tree, let key):
            writer.write(Code.remove.rawValue)
            writer.writeVarint(UInt64(tree))
            writer.writeVarint(UInt64(key.count))
            writer.write(bytes: key)
        case .clear(let tree):
            writer.write(Code.clear.rawValue)
            writer.writeVarint(UInt64(tree))
        case .createTree(let tree, let name):
            writer.write(Code.createTree.rawValue)
            writer.writeVarint(UInt64(tree))
            let bytes = Array(name.utf8)
            writer.writeVarint(UInt64(bytes.count))
            writer.write(bytes: bytes)
        case .dropTree(let tree):
            writer.write(Code.dropTree.rawValue)
            writer.writeVarint(UInt64(tree))
        }
    }

    static func decode(from reader: inout ByteReader) throws -> Operation {
        guard let code = Code(rawValue: try reader.readUInt8()) else { throw ByteReader.OutOfBounds(offset: 0) }
        let rawTree = try reader.readVarint()
        guard rawTree <= UInt64(UInt32.max) else { throw ByteReader.OutOfBounds(offset: 0) }
        let tree = UInt32(rawTree)
        switch code {
        case .put:
            let key = Array(try reader.readBytes(count: try reader.readLength(limit: Limits.maxKeyLength)))
            let value = Array(try reader.readBytes(count: try reader.readLength(limit: Limits.maxValueLength)))
            return .put(tree: tree, key: key, value: value)
        case .remove:
            return .remove(tree: tree, key: Array(try reader.readBytes(count: try reader.readLength(limit: Limits.maxKeyLength))))
        case .clear:
            return .clear(tree: tree)
        case .createTree:
            let bytes = try reader.readBytes(count: try reader.readLength(limit: Limits.maxTreeNameLength))
            guard let name = String(validating: bytes, as: UTF8.self) else { throw ByteReader.OutOfBounds(offset: 0) }
            return .createTree(tree: tree, name: name)
        case .dropTree:
            return .dropTree(tree: tree)
        }
    }
}
