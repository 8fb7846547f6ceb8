#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the id that ends a graph key, starting at a known offset, without decoding the elements
/// before it: the hot path of every index and adjacency scan. The element is the tuple encoding
/// of a ``NodeID`` (FORMAT.md, "Tuple keys"): `0x30` and 16 bytes, or `0x02`, the escaped UTF-8
/// and a `0x00` terminator. It must end the key exactly.
enum KeyIDReader {
    static func id(in key: [UInt8], at offset: Int) throws -> NodeID {
        guard offset < key.count else { throw damaged(key, offset) }
        switch key[offset] {
        case 0x30:
            guard key.count == offset + 17 else { throw damaged(key, offset) }
            let b = key[(offset + 1)...]
            let s = b.startIndex
            return .uuid(UUID(uuid: (b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7],
                                     b[s + 8], b[s + 9], b[s + 10], b[s + 11], b[s + 12], b[s + 13], b[s + 14], b[s + 15])))
        case 0x02:
            guard key.last == 0x00 else { throw damaged(key, offset) }
            let body = key[(offset + 1)..<(key.count - 1)]
            if !body.contains(where: { $0 <= 0x01 }) {
                guard let text = String(validating: body, as: UTF8.self) else { throw damaged(key, offset) }
                return .name(text)
            }
            var raw: [UInt8] = []
            raw.reserveCapacity(body.count)
            var index = body.startIndex
            while index < body.endIndex {
                let byte = body[index]
                if byte == 0x01 {
                    index += 1
                    guard index < body.endIndex, body[index] == 0x01 || body[index] == 0x02 else { throw damaged(key, offset) }
                    raw.append(body[index] - 1)
                } else if byte == 0x00 {
                    throw damaged(key, offset)
                } else {
                    raw.append(byte)
                }
                index += 1
            }
            guard let text = String(validating: raw, as: UTF8.self) else { throw damaged(key, offset) }
            return .name(text)
        default:
            throw damaged(key, offset)
        }
    }

    private static func damaged(_ key: [UInt8], _ offset: Int) -> Error {
        GraphError.corruption("a graph key does not end with an id at byte \(offset): \(key.prefix(64).map { String($0, radix: 16) })")
    }

    /// The width of the fixed-size element (a timestamp or a double: code and 8 bytes) between a
    /// scan's prefix and the id in the keys that have one.
    static let orderedElementWidth = 9
}
