import StrataTestSupport
import Testing

@testable import StrataEngine

/// A transaction encodes its operations as it goes; the sealed buffer must be exactly the WAL
/// frame ``LogFrame/encode(sequence:operations:)`` makes, and read back to the same operations.
@Suite struct EncodedOperationsTests {
    static func randomOperations(_ rng: inout SeededRandom) -> [Operation] {
        func bytes(_ range: ClosedRange<Int>) -> [UInt8] {
            (0..<Int.random(in: range, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        return (0..<Int.random(in: 1...40, using: &rng)).map { _ in
            let tree = UInt32.random(in: 0...300, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: return .clear(tree: tree)
            case 1 where tree % 2 == 0: return .createTree(tree: tree, name: "tree-\(tree)")
            case 1:
                // Code 6: settings and an owner, each sometimes absent.
                let settings = TreeSettings(
                    largeValueThreshold: tree % 3 == 0 ? nil : Int(64 + tree), compression: tree % 5 == 0 ? nil : tree % 3 == 1)
                return .createTree(tree: tree, name: "tree-\(tree)", settings: settings, owner: tree % 7 == 0 ? nil : "layer-\(tree)")
            case 2: return .dropTree(tree: tree)
            case 3, 4: return .remove(tree: tree, key: bytes(1...40))
            default: return .put(tree: tree, key: bytes(1...40), value: bytes(0...3000))
            }
        }
    }

    static func owned(_ operation: BorrowedOperation) -> Operation {
        switch operation {
        case .put(let tree, let key, let value): .put(tree: tree, key: Array(key), value: Array(value))
        case .remove(let tree, let key): .remove(tree: tree, key: Array(key))
        case .clear(let tree): .clear(tree: tree)
        case .createTree(let tree, let name, let settings, let owner):
            .createTree(tree: tree, name: name, settings: settings, owner: owner)
        case .dropTree(let tree): .dropTree(tree: tree)
        }
    }

    @Test func sealedFrameEqualsTheLogFrameAndReadsBack() throws {
        var rng = SeededRandom(seed: 77)
        for _ in 0..<200 {
            let operations = Self.randomOperations(&rng)
            var encoded = EncodedOperations()
            for operation in operations {
                switch operation {
                case .put(let tree, let key, let value):
                    key.withUnsafeBytes { k in value.withUnsafeBytes { encoded.appendPut(tree: tree, key: k, value: $0) } }
                case .remove(let tree, let key):
                    key.withUnsafeBytes { encoded.appendRemove(tree: tree, key: $0) }
                default:
                    encoded.append(operation)
                }
            }
            // Read back before sealing (a transaction's own reads) and after (the commit's apply).
            var before: [Operation] = []
            encoded.forEachOperation(from: EncodedOperations.bodyStart) { before.append(Self.owned($0)) }
            let sequence = UInt64.random(in: 1...UInt64.max, using: &rng)
            let frame = encoded.sealFrame(sequence: sequence)
            #expect(frame == LogFrame.encode(sequence: sequence, operations: operations))
            var after: [Operation] = []
            try encoded.forEachOperation { after.append(Self.owned($0)) }
            #expect(before == operations)
            #expect(after == operations)
            guard case .frame(let parsedSequence, let parsed, let size) = LogFrame.parse(frame, at: 0) else {
                Issue.record("the sealed frame does not parse")
                return
            }
            #expect(parsedSequence == sequence && parsed.decoded == operations && size == frame.count)
        }
    }

    /// A put or remove with an empty key does not decode: keys are never empty, so such a
    /// frame is damage, not something to replay.
    @Test func decodeRejectsEmptyKeys() {
        for operation in [Operation.put(tree: 1, key: [], value: [1]), .remove(tree: 1, key: [])] {
            var writer = ByteWriter()
            operation.encode(into: &writer)
            writer.bytes.withUnsafeBytes { raw in
                var offset = 0
                #expect(throws: ByteReader.OutOfBounds.self) { try BorrowedOperation.decode(raw, at: &offset) }
            }
        }
    }

    /// Every proper prefix of an encoded operation is rejected, never read past its end.
    @Test func decodeRejectsEveryTruncation() {
        let operation = Operation.put(tree: 70000, key: Array(repeating: 7, count: 200), value: Array(repeating: 9, count: 300))
        var writer = ByteWriter()
        operation.encode(into: &writer)
        let bytes = writer.bytes
        for length in 0..<bytes.count {
            Array(bytes[..<length]).withUnsafeBytes { raw in
                var offset = 0
                #expect(throws: ByteReader.OutOfBounds.self) { try BorrowedOperation.decode(raw, at: &offset) }
            }
        }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            let decoded = try? BorrowedOperation.decode(raw, at: &offset)
            #expect(decoded.map(Self.owned) == operation && offset == bytes.count)
        }
    }
}
