#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// Reads the id that ends a graph key, starting at a known offset, without decoding the elements
/// before it: the hot path of every index and adjacency scan. The element is the tuple encoding
/// of a ``NodeID`` (FORMAT.md, "Tuple keys"), read by the engine's `TupleKey.element(in:at:)`;
/// it must end the key exactly.
enum KeyIDReader {
    static func id(in key: [UInt8], at offset: Int) throws -> NodeID {
        guard let (element, end) = try? TupleKey.element(in: key, at: offset), end == key.count,
            let id = NodeID(tupleElement: element)
        else { throw damaged(key, offset) }
        return id
    }

    /// ``id(in:at:)`` of a key lent by a cursor: a UUID, or a string with no escaped byte, is
    /// read in place (ASCII without the general validator); anything else is copied and read by
    /// `TupleKey.element(in:at:)`.
    static func id(inBorrowed key: UnsafeRawBufferPointer, at offset: Int) throws -> NodeID {
        if offset < key.count {
            switch key[offset] {
            case 0x30 where key.count == offset + 17:
                var uuid: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                withUnsafeMutableBytes(of: &uuid) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: key[(offset + 1)...])) }
                return .uuid(UUID(uuid: uuid))
            case 0x02 where key[key.count - 1] == 0x00:
                let body = UnsafeRawBufferPointer(rebasing: key[(offset + 1)..<(key.count - 1)])
                if !body.contains(where: { $0 <= 0x01 }), let text = UTF8Text.string(body.assumingMemoryBound(to: UInt8.self)) {
                    return .name(text)
                }
            default:
                break
            }
        }
        return try id(in: Array(key), at: offset)
    }

    private static func damaged(_ key: [UInt8], _ offset: Int) -> Error {
        GraphError.corruption("a graph key does not end with an id at byte \(offset): \(key.prefix(64).map { String($0, radix: 16) })")
    }

    /// The width of the fixed-size element (a timestamp or a double: code and 8 bytes) between a
    /// scan's prefix and the id in the keys that have one.
    static let orderedElementWidth = 9
}
