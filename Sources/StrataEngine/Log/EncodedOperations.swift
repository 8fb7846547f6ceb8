/// One commit's operations, written in the WAL's encoding as the transaction makes them and
/// read back in place.
///
/// A put therefore costs no allocation of its own: its key and value are copied once, into
/// this buffer, which becomes the WAL frame (``sealFrame(sequence:)``) and which the commit
/// then applies from (``forEachOperation(_:)``). The buffer starts with room for the frame
/// header and the operation count, so sealing writes them in place. The writer keeps one
/// buffer for all its transactions (``removeAll()``), so a batch does not regrow it either.
struct EncodedOperations {
    private var writer: ByteWriter
    /// Operations appended so far.
    private(set) var count = 0
    /// Where the operations end (before sealing appends the checksum).
    private(set) var end: Int

    /// Where the first operation starts: after the frame header and the u32 operation count.
    static let bodyStart = LogFrame.headerSize + 4

    /// A buffer kept by ``removeAll()`` up to this capacity; a larger one is released.
    static let retainedCapacity = 4 << 20

    /// No operations (allocates nothing until the first append).
    init() {
        writer = ByteWriter()
        end = EncodedOperations.bodyStart
    }

    var isEmpty: Bool { count == 0 }

    /// The frame body these operations seal into: the u32 count and the operations (what
    /// ``Limits/maxBatchBytes`` bounds).
    var bodyByteCount: Int { end - LogFrame.headerSize }

    /// Forgets every operation, keeping the buffer unless it grew past ``retainedCapacity``.
    mutating func removeAll() {
        writer.bytes.removeAll(keepingCapacity: writer.bytes.capacity <= EncodedOperations.retainedCapacity)
        count = 0
        end = EncodedOperations.bodyStart
    }

    /// Makes room for the header before the first operation.
    @inline(__always)
    private mutating func beginOperation() {
        if writer.count == 0 { writer.write(bytes: repeatElement(0, count: EncodedOperations.bodyStart)) }
    }

    /// Appends a put of `value` under `key` in `tree`.
    mutating func appendPut(tree: UInt32, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        beginOperation()
        Operation.encodePut(tree: tree, key: key, value: value, into: &writer)
        appended()
    }

    /// Appends a removal of `key` from `tree`.
    mutating func appendRemove(tree: UInt32, key: UnsafeRawBufferPointer) {
        beginOperation()
        Operation.encodeRemove(tree: tree, key: key, into: &writer)
        appended()
    }

    /// Appends any operation.
    mutating func append(_ operation: Operation) {
        beginOperation()
        operation.encode(into: &writer)
        appended()
    }

    private mutating func appended() {
        count += 1
        end = writer.count
    }

    /// Fills in the frame header for commit `sequence` and appends the checksum: the result is
    /// the commit's WAL frame (``LogFrame``). Call once, after the last append.
    mutating func sealFrame(sequence: UInt64) -> [UInt8] {
        beginOperation()  // the header's room, if nothing was appended
        precondition(writer.count == end, "EncodedOperations sealed twice")
        // Transactions refuse the operation that would cross either bound (Transaction.reserve).
        precondition(end - LogFrame.headerSize <= LogFrame.maxBodyLength && count <= Limits.maxOperationsPerBatch)
        writer.set(LogFrame.magic, at: 0)
        writer.set(UInt32(end - LogFrame.headerSize), at: 4)
        writer.set(UInt32(LogFrame.kindCommit) | UInt32(0) << 8 | UInt32(LogFrame.version) << 16, at: 8)
        writer.set(sequence, at: 12)
        writer.set(UInt32(count), at: LogFrame.headerSize)
        writer.write(writer.bytes.withUnsafeBytes { Checksum.xxh3($0) })
        return writer.bytes
    }

    /// Lends each operation whose encoding starts at or after byte `start`, in order, to `body`.
    /// Returns where the last one ends.
    @discardableResult
    func forEachOperation(from start: Int = bodyStart, _ body: (BorrowedOperation) throws -> Void) rethrows -> Int {
        try writer.bytes.withUnsafeBytes { raw in
            var offset = start
            while offset < end {
                // The bytes were written by the appends above, so they always decode.
                try body(try! BorrowedOperation.decode(UnsafeRawBufferPointer(rebasing: raw[..<end]), at: &offset))
            }
            return offset
        }
    }
}

/// One operation lent in place from an encoded buffer: its key and value point into that
/// buffer and are valid only inside the closure they were lent to.
enum BorrowedOperation {
    case put(tree: UInt32, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
    case remove(tree: UInt32, key: UnsafeRawBufferPointer)
    case clear(tree: UInt32)
    case createTree(tree: UInt32, name: String, settings: TreeSettings, owner: String?)
    case dropTree(tree: UInt32)

    var treeID: UInt32 {
        switch self {
        case .put(let t, _, _), .remove(let t, _), .clear(let t), .createTree(let t, _, _, _), .dropTree(let t): t
        }
    }

    /// Decodes the operation at `offset` of `bytes` (``Operation/encode(into:)``'s format) and
    /// moves `offset` past it. Throws on bytes that are not a whole, valid operation.
    static func decode(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) throws(ByteReader.OutOfBounds) -> BorrowedOperation {
        func byte() throws(ByteReader.OutOfBounds) -> UInt8 {
            guard offset < bytes.count else { throw ByteReader.OutOfBounds(offset: offset) }
            defer { offset += 1 }
            return bytes[offset]
        }
        func varint(limit: UInt64) throws(ByteReader.OutOfBounds) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 64, shift < 63 || b <= 1 else { throw ByteReader.OutOfBounds(offset: offset) }
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            guard value <= limit else { throw ByteReader.OutOfBounds(offset: offset) }
            return value
        }
        func slice(limit: Int, nonEmpty: Bool = false) throws(ByteReader.OutOfBounds) -> UnsafeRawBufferPointer {
            let length = Int(try varint(limit: UInt64(limit)))
            guard length <= bytes.count - offset, length > 0 || !nonEmpty else { throw ByteReader.OutOfBounds(offset: offset) }
            defer { offset += length }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        }
        guard let code = Operation.Code(rawValue: try byte()) else { throw ByteReader.OutOfBounds(offset: offset) }
        let tree = UInt32(try varint(limit: UInt64(UInt32.max)))
        switch code {
        case .put:
            // Keys are never empty (FORMAT.md); an empty one is damage.
            let key = try slice(limit: Limits.maxKeyLength, nonEmpty: true)
            return .put(tree: tree, key: key, value: try slice(limit: Limits.maxValueLength))
        case .remove:
            return .remove(tree: tree, key: try slice(limit: Limits.maxKeyLength, nonEmpty: true))
        case .clear:
            return .clear(tree: tree)
        case .createTree, .createTreeWithSettings:
            guard let name = String(validating: try slice(limit: Limits.maxTreeNameLength), as: UTF8.self) else {
                throw ByteReader.OutOfBounds(offset: offset)
            }
            guard code == .createTreeWithSettings else { return .createTree(tree: tree, name: name, settings: .default, owner: nil) }
            let threshold = Int(try varint(limit: UInt64(Limits.maxValueLength)))
            let compression = try byte()
            guard threshold == 0 || threshold >= 64, compression <= 2,
                let owner = String(validating: try slice(limit: Limits.maxTreeNameLength), as: UTF8.self)
            else { throw ByteReader.OutOfBounds(offset: offset) }
            let settings = TreeSettings(
                largeValueThreshold: threshold == 0 ? nil : threshold, compression: compression == 0 ? nil : compression == 1)
            return .createTree(tree: tree, name: name, settings: settings, owner: owner.isEmpty ? nil : owner)
        case .dropTree:
            return .dropTree(tree: tree)
        }
    }
}

/// Operations that ``Database/apply(_:to:editor:nextTreeID:collectChanges:)`` can walk: a
/// transaction's encoded buffer, or the decoded operations of a replayed WAL frame.
protocol OperationSequence {
    var operationCount: Int { get }
    func forEachOperation(_ body: (BorrowedOperation) throws -> Void) throws
}

extension EncodedOperations: OperationSequence {
    var operationCount: Int { count }

    func forEachOperation(_ body: (BorrowedOperation) throws -> Void) throws {
        try forEachOperation(from: EncodedOperations.bodyStart, body)
    }
}

extension Array: OperationSequence where Element == Operation {
    var operationCount: Int { count }

    func forEachOperation(_ body: (BorrowedOperation) throws -> Void) throws {
        for operation in self {
            switch operation {
            case .put(let tree, let key, let value):
                try key.withUnsafeBytes { k in try value.withUnsafeBytes { v in try body(.put(tree: tree, key: k, value: v)) } }
            case .remove(let tree, let key):
                try key.withUnsafeBytes { try body(.remove(tree: tree, key: $0)) }
            case .clear(let tree): try body(.clear(tree: tree))
            case .createTree(let tree, let name, let settings, let owner):
                try body(.createTree(tree: tree, name: name, settings: settings, owner: owner))
            case .dropTree(let tree): try body(.dropTree(tree: tree))
            }
        }
    }
}
