import Foundation
@testable import StrataEngine
@testable import StrataGraph
import StrataTestSupport
import Testing

/// The read path's fast paths (graphperf): keys written without the general tuple encoder, the
/// per-commit expiry probe, trees resolved lazily per query, record context formatted only on
/// failure. Each test fails if its fast path answers differently from the general one.
@Suite struct ReadPathTests {
    @Test func graphKeysAreTheTupleKeysByteForByte() throws {
        var random = SeededRandom(seed: 7)
        var ids: [NodeID] = ["", "m00011159", "a\u{0}b", "\u{1}\u{1}", "\u{2}", "ÿé✓", "e-paris"]
        for _ in 0..<200 {
            let length = Int(random.next() % 12)
            ids.append(.name(String(decoding: (0..<length).map { _ in UInt8(random.next() % 4) }, as: UTF8.self)))
            ids.append(.uuid(UUID()))
        }
        for id in ids {
            #expect(GraphKey.id(id) == TupleKey(id).bytes, "\(id)")
            for name in ["MENTIONS", "", "a\u{0}\u{1}"] {
                #expect(GraphKey.id(id, name) == TupleKey(id, name).bytes, "\(id) \(name)")
                #expect(GraphKey.id(id, name) == TupleKey.prefix(id, name))
            }
        }
    }

    @Test func readersAtOneCommitHideWhatHasExpiredAtTheirOwnTime() throws {
        let sample = try SampleGraph()
        let t = sample.base
        try sample.store.insert(memory("soon", expiring: t.addingTimeInterval(100), base: t))
        // Two readers on one commit (one remembered probe) at different times.
        #expect(try sample.store.reader(at: t.addingTimeInterval(50)).node("soon") != nil)
        #expect(try sample.store.reader(at: t.addingTimeInterval(150)).node("soon") == nil)
        #expect(try sample.store.reader(at: t.addingTimeInterval(50)).node("soon") != nil)
        let before = try sample.store.reader(at: t.addingTimeInterval(50))
        // A commit adds a sooner expiry: readers made after it must not use the old probe.
        try sample.store.insert(memory("sooner", expiring: t.addingTimeInterval(10), base: t))
        let after = try sample.store.reader(at: t.addingTimeInterval(50))
        #expect(try after.node("sooner") == nil)
        #expect(try after.nodeIDs(in: "ns", kind: .memory) == ["soon"])
        #expect(try after.node("soon") != nil)
        // The reader made before the commit still sees its own commit.
        #expect(try before.node("sooner") == nil)
        #expect(try before.nodeIDs(in: "ns", kind: .memory) == ["soon"])
        #expect(try sample.store.reader(at: t.addingTimeInterval(5)).nodeIDs(in: "ns", kind: .memory) == ["soon", "sooner"])
        // includingExpired shows everything, whatever the probe says.
        #expect(try sample.store.reader(at: t.addingTimeInterval(500), includingExpired: true).nodeIDs(in: "ns", kind: .memory).count == 2)
        #expect(try sample.store.reader(at: t.addingTimeInterval(500)).nodeIDs(in: "ns", kind: .memory).isEmpty)
        // The sweep removes them; a reader after it has nothing expired to hide.
        #expect(try sample.store.expire(now: t.addingTimeInterval(500)) == 2)
        #expect(try sample.store.reader(at: t.addingTimeInterval(500)).anyExpired == false)
    }

    @Test func aReaderKeepsItsSnapshotWhileTreesResolveLazily() throws {
        let sample = try SampleGraph()
        let reader = try sample.store.reader()
        // The reader reads no tree until a query asks; writes after it was made stay invisible.
        try sample.store.write { graph in
            try graph.addEdge(Edge(from: "m2", type: .mentions, to: sample.paris, validFrom: sample.base))
            _ = try graph.delete("m3")
        }
        #expect(try reader.neighbours(of: "m2", type: .mentions).isEmpty)
        #expect(try reader.mentionIDs(of: sample.paris) == ["m3", "m1"])
        #expect(try reader.node("m3") != nil)
        #expect(try reader.node(sample.paris)?.entity?.mentionCount == 2)
        let later = try sample.store.reader()
        #expect(try later.neighbours(of: "m2", type: .mentions) == [sample.paris])
        #expect(try later.mentionIDs(of: sample.paris) == ["m2", "m1"])
        #expect(try later.node("m3") == nil)
    }

    @Test func aDamagedRecordStillNamesItsNode() throws {
        let error = try #require(throws: StrataError.self) { try NodeCodec.decode([1, 2, 0xFF], id: "m-broken") }
        #expect(error.code == .corruption)
        #expect("\(error)".contains("node m-broken"))
    }

    @Test func storedTextIsCheckedAsUTF8WithOrWithoutTheASCIIShortcut() {
        func text(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer { UTF8Text.string($0) } }
        for length in 0...20 {
            let ascii = (0..<length).map { UInt8(0x41 + $0 % 26) }
            #expect(text(ascii) == String(decoding: ascii, as: UTF8.self))
            #expect(ascii.withUnsafeBufferPointer { UTF8Text.isASCII($0) })
            // One high byte anywhere (each 8-byte word and the tail) leaves the shortcut.
            for position in 0..<length {
                var invalid = ascii
                invalid[position] = 0xFF
                #expect(text(invalid) == nil, "0xFF at \(position) of \(length)")
                var accented = Array(ascii.prefix(position))
                accented += Array("é".utf8) + ascii.dropFirst(position)
                #expect(text(accented) == String(decoding: accented, as: UTF8.self))
            }
        }
        #expect(text(Array("ÿé✓ and 𝄞".utf8)) == "ÿé✓ and 𝄞")
        #expect(text([0x61, 0xC3]) == nil)  // a truncated sequence
    }

    @Test func idsReadFromBorrowedKeysAreTheIdsReadFromCopies() throws {
        let prefix = TupleKey(UInt8(3), NodeID("c1"), Date(timeIntervalSince1970: 1_700_000_000))
        let ids: [NodeID] = ["m00011159", "", "a\u{0}b", "\u{1}", "ÿé✓", .uuid(UUID()), .uuid(UUID())]
        for id in ids {
            let key = prefix.appending(id).bytes
            let borrowed = try key.withUnsafeBytes { try KeyIDReader.id(inBorrowed: $0, at: prefix.bytes.count) }
            #expect(borrowed == id)
            #expect(try KeyIDReader.id(in: key, at: prefix.bytes.count) == id)
        }
        // Damage is refused on both paths: bad UTF-8, a missing terminator, a short UUID, trailing bytes.
        let start = prefix.bytes.count
        for tail: [UInt8] in [[0x02, 0xFF, 0x00], [0x02, 0x61], [0x30, 1, 2], [0x02, 0x61, 0x00, 0x61], [0x07]] {
            let key = prefix.bytes + tail
            #expect(throws: StrataError.self) { try key.withUnsafeBytes { try KeyIDReader.id(inBorrowed: $0, at: start) } }
            #expect(throws: StrataError.self) { try KeyIDReader.id(in: key, at: start) }
        }
    }

    @Test func roleAndMemoryKindNamesRoundTrip() {
        for role in Message.Role.allCases { #expect(Message.Role(named: role.name) == role) }
        #expect(Message.Role.assistant.name == "assistant")
        for kind in Memory.Kind.allCases { #expect(Memory.Kind(named: kind.name) == kind) }
        #expect(Memory.Kind.semantic.name == "semantic")
    }

    private func memory(_ id: NodeID, expiring date: Date, base: Date) -> Node {
        Node(id: id, namespace: "ns", createdAt: base, expiresAt: date, .memory(Memory(kind: .working, text: "x", importance: 0.5)))
    }
}
