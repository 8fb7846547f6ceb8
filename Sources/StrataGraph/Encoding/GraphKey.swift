#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// The bytes of the graph's most frequent keys, written directly: byte for byte what
/// `TupleKey(id).bytes` and `TupleKey.prefix(id, name)` give (FORMAT.md, "Tuple keys": a UUID is
/// `0x30` and its 16 bytes, a string `0x02`, its UTF-8 with `0x00` → `0x01 0x01` and `0x01` →
/// `0x01 0x02`, then `0x00`), without the element array and boxing of the general encoder that
/// a point read would otherwise pay for its key. GraphKeyTests holds it to `TupleKey`.
enum GraphKey {
    /// `TupleKey(id).bytes`: the key of a node's record (and of its access counter).
    static func id(_ id: NodeID) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        append(id, to: &bytes)
        return bytes
    }

    /// `TupleKey(id, name).bytes`: a degree counter's key, and the prefix of `id`'s edges (or
    /// incoming entries) of the type called `name`.
    static func id(_ id: NodeID, _ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24 + name.utf8.count)
        append(id, to: &bytes)
        append(name, to: &bytes)
        return bytes
    }

    private static func append(_ id: NodeID, to bytes: inout [UInt8]) {
        switch id {
        case .uuid(let uuid):
            bytes.append(0x30)
            withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
        case .name(let name):
            append(name, to: &bytes)
        }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x02)
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 <= 0x01 }) else {
            bytes.append(contentsOf: utf8)
            bytes.append(0x00)
            return
        }
        for byte in utf8 {
            if byte <= 0x01 {
                bytes.append(0x01)
                bytes.append(byte + 1)
            } else {
                bytes.append(byte)
            }
        }
        bytes.append(0x00)
    }
}
