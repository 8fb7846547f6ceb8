import Foundation
import StrataEngine
@testable import StrataGraph
import Testing

/// The worked examples of FORMAT.md, "Structural index", byte for byte.
@Suite struct FormatExampleTests {
    let message = Node(
        id: "m1", namespace: "ns", createdAt: Date(timeIntervalSince1970: 1_700_000_001),
        .message(Message(conversation: "c1", role: .user, text: "hi")))

    static func bytes(_ hex: String) -> [UInt8] {
        hex.split(separator: " ").map { UInt8($0, radix: 16)! }
    }

    @Test func conversationIndexKey() {
        let expected = Self.bytes("15 03 02 63 31 00 40 97 97 9C FE 71 C4 CA 00 02 6D 31 00")
        #expect(IndexKey.keys(for: message).contains(expected))
    }

    @Test func messageRecord() throws {
        var stored = message
        stored.version = 1
        let expected = Self.bytes(
            "01 02 02 6E 73 01 80 A8 A6 9C CE BF CE 97 2F 80 A8 A6 9C CE BF CE 97 2F 00 01 02 63 31 01 00 02 68 69 00 00 00")
        #expect(NodeCodec.encode(stored) == expected)
        #expect(try NodeCodec.decode(expected, id: "m1") == stored)
    }
}
