import StrataTestSupport
import Testing

@testable import StrataEngine

/// `Limits.maxBatchBytes` and `Limits.maxOperationsPerBatch`: one bound for the WAL frame a
/// transaction writes and the frame replay accepts. A write that would cross either throws
/// `invalidArgument` before anything is recorded, and a batch at the bound survives a crash.
@Suite struct BatchBoundTests {
    /// A configuration under which nothing is checkpointed, so a reopen must replay the WAL.
    static func walOnlyConfiguration(_ fs: MemoryFileSystem) -> Database.Configuration {
        var configuration = EngineFixtures.smallConfiguration(fs)
        configuration.walBytes = 1 << 30
        configuration.dirtyBytes = 1 << 30
        return configuration
    }

    /// The files as a `kill -9` after the last durable commit leaves them.
    static func crashImage(_ fs: MemoryFileSystem) -> MemoryFileSystem { BadInputTests.copy(fs) }

    @Test func aBatchAtTheBoundIsReplayedAndOneByteOverIsRefused() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.walOnlyConfiguration(fs))
        let tree = try db.tree("big")
        try tree.insert([7], forKey: [0], durability: .synced)
        let first = [UInt8](repeating: 1, count: 24 << 20)
        var second: [UInt8] = []
        try db.write(durability: .synced) { tx in
            try tx.insert(first, forKey: [1], in: tree)
            // The put of a one-byte key and a value of n bytes (n needing a 4-byte varint)
            // encodes to 8 + n bytes: fill the batch to exactly the bound.
            let room = Limits.maxBatchBytes - tx.encodedByteCount - 8
            let before = tx.encodedByteCount
            let over = [UInt8](repeating: 2, count: room + 1)
            #expect(throws: StrataError.self) { try tx.insert(over, forKey: [2], in: tree) }
            expectStrataError(.invalidArgument) { try tx.insert(over, forKey: [2], in: tree) }
            #expect(tx.encodedByteCount == before, "a refused write must record nothing")
            #expect(tx.operationCount == 1)
            second = [UInt8](repeating: 2, count: room)
            try tx.insert(second, forKey: [2], in: tree)
            #expect(tx.encodedByteCount == Limits.maxBatchBytes)
            // Nothing more fits, not even a removal or a clear.
            expectStrataError(.invalidArgument) { try tx.remove([3], from: tree) }
            expectStrataError(.invalidArgument) { try tx.clear(tree) }
            expectStrataError(.invalidArgument) { _ = try tx.tree("another") }
        }
        #expect(try tree.get([2])?.count == second.count)
        let image = Self.crashImage(fs)
        try db.close()
        let reopened = try Database.open(at: "/db", configuration: Self.walOnlyConfiguration(image))
        let again = try #require(try reopened.existingTree("big"))
        #expect(try again.get([0]) == [7])
        #expect(try again.get([1]) == first)
        #expect(try again.get([2]) == second)
        #expect(try reopened.treeNames() == ["big"])
        try reopened.close()
    }

    @Test func aBatchThatThrowsAtTheBoundLeavesTheEarlierDataAlone() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.walOnlyConfiguration(fs))
        let tree = try db.tree("t")
        try tree.insert([7], forKey: [0], durability: .synced)
        let half = [UInt8](repeating: 1, count: 25 << 20)
        expectStrataError(.invalidArgument) {
            try db.write(durability: .synced) { tx in
                try tx.insert(half, forKey: [1], in: tree)
                try tx.insert(half, forKey: [2], in: tree)
            }
        }
        #expect(try tree.count == 1)
        #expect(try db.statistics().writesDisabled == false)
        let image = Self.crashImage(fs)
        try db.close()
        let reopened = try Database.open(at: "/db", configuration: Self.walOnlyConfiguration(image))
        let model = try EngineFixtures.contents(of: reopened)
        var expected = ReferenceModel()
        expected.createTree("t")
        expected.insert([7], forKey: [0], in: "t")
        #expect(model == expected)
        try reopened.close()
    }

    @Test func sixtyThousandPutsOfOneKiBStopAtTheBoundAndTheRestCommits() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: Self.walOnlyConfiguration(fs))
        let tree = try db.tree("t")
        let value = [UInt8](repeating: 5, count: 1024)
        var accepted = 0
        try db.write(durability: .synced) { tx in
            for i in 0..<60_000 {
                let key = [UInt8(i >> 16), UInt8((i >> 8) & 0xFF), UInt8(i & 0xFF)]
                do {
                    try tx.insert(value, forKey: key, in: tree)
                    accepted += 1
                } catch let error as StrataError where error.code == .invalidArgument {
                    break
                }
            }
        }
        // 60,000 puts of 1 KiB encode to more than the bound: the batch stops short of it.
        #expect(accepted > 40_000 && accepted < 60_000)
        let image = Self.crashImage(fs)
        try db.close()
        let reopened = try Database.open(at: "/db", configuration: Self.walOnlyConfiguration(image))
        #expect(try reopened.existingTree("t")?.count == accepted)
        try reopened.close()
    }

    @Test func theOperationCountIsBoundedWhenWritingAndReading() throws {
        let fs = MemoryFileSystem()
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fs))
        let tree = try db.tree("t")
        try tree.insert([1], forKey: [1])
        expectStrataError(.invalidArgument) {
            try db.write { tx in
                for _ in 0..<Limits.maxOperationsPerBatch { try tx.clear(tree) }
                #expect(tx.operationCount == Limits.maxOperationsPerBatch)
                try tx.clear(tree)
            }
        }
        #expect(try tree.get([1]) == [1], "the refused batch must change nothing")
        try db.close()
    }

    /// A frame with `body` (the operation count and operations), header and checksum filled in.
    static func frame(body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: LogFrame.headerSize + body.count + LogFrame.trailerSize)
        writer.write(LogFrame.magic)
        writer.write(UInt32(body.count))
        writer.write(LogFrame.kindCommit)
        writer.write(UInt8(0))
        writer.write(LogFrame.version)
        writer.write(UInt64(1))
        writer.write(bytes: body)
        writer.write(writer.bytes.withUnsafeBytes { Checksum.xxh3($0) })
        return writer.bytes
    }

    @Test func replayRejectsFramesPastEitherBound() throws {
        // One byte past maxBatchBytes: two puts of legal values (each encodes to 8 + n bytes).
        var body = ByteWriter()
        body.write(UInt32(2))
        let first = 24 << 20
        for (key, length) in [(UInt8(1), first), (UInt8(2), Limits.maxBatchBytes + 1 - 4 - 16 - first)] {
            body.write(Operation.Code.put.rawValue)
            body.writeVarint(1)
            body.writeVarint(1)
            body.write(key)
            body.writeVarint(UInt64(length))
            body.write(bytes: [UInt8](repeating: 0, count: length))
        }
        #expect(body.count == Limits.maxBatchBytes + 1)
        guard case .invalid = LogFrame.parse(Self.frame(body: body.bytes), at: 0) else {
            Issue.record("a frame body over maxBatchBytes was accepted")
            return
        }
        // One operation past maxOperationsPerBatch (clears: two bytes each).
        let count = Limits.maxOperationsPerBatch + 1
        var clears = [UInt8](repeating: 0, count: 4 + 2 * count)
        clears.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(count).littleEndian, toByteOffset: 0, as: UInt32.self)
            for i in 0..<count {
                raw[4 + 2 * i] = Operation.Code.clear.rawValue
                raw[5 + 2 * i] = 1
            }
        }
        guard case .invalid = LogFrame.parse(Self.frame(body: clears), at: 0) else {
            Issue.record("a frame over maxOperationsPerBatch was accepted")
            return
        }
    }

    /// `Transaction` reserves room with `Operation.encodedSize` before it appends: the two must
    /// agree for every kind of operation, or a batch could cross the bound.
    @Test func encodedSizeIsWhatEncodingWrites() {
        let long = [UInt8](repeating: 3, count: 300)
        let operations: [Operation] = [
            .put(tree: 1, key: [1], value: []), .put(tree: 200, key: long, value: long + long),
            .put(tree: UInt32.max, key: [UInt8](repeating: 1, count: Limits.maxKeyLength), value: [UInt8](repeating: 2, count: 20_000)),
            .remove(tree: 5, key: long), .clear(tree: 1 << 20), .dropTree(tree: 127),
            .createTree(tree: 128, name: "t", settings: .default, owner: nil),
            .createTree(tree: 9, name: String(repeating: "n", count: 255), settings: TreeSettings(largeValueThreshold: 4096, compression: false), owner: nil),
            .createTree(tree: 9, name: "owned", settings: .default, owner: "hnsw"),
        ]
        for operation in operations {
            var writer = ByteWriter()
            operation.encode(into: &writer)
            #expect(writer.count == operation.encodedSize, "\(operation)")
        }
    }
}
