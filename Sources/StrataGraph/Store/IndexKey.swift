#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// The structural index's keys, all in the `graph.index` tree and each derived from one record
/// (FORMAT.md, "Structural index"). The first element is the index's tag.
enum IndexKey {
    enum Tag: UInt8, CaseIterable {
        /// `(1, namespace, kind, createdAt, id)`: nodes of a kind by time.
        case kind = 1
        /// `(2, namespace, createdAt, id)`: every node of a namespace by time.
        case time = 2
        /// `(3, conversation, createdAt, id)`: a conversation's messages by time.
        case conversation = 3
        /// `(4, owner, id)`: the nodes that hang off `owner` (the delete cascade follows it).
        case owner = 4
        /// `(5, expiresAt, id)`: records by expiry (the sweep, and hiding the expired).
        case expiry = 5
        /// `(6, namespace, memory kind, importance, id)`: memories by importance.
        case importance = 6
        /// `(7, namespace, lower-cased name or alias, id)`: entities by name.
        case name = 7
        /// `(8, namespace, space, id)`: the vectors of a namespace in a space.
        case vector = 8

        /// How many elements a scan's prefix holds (the tag included): after them comes a
        /// timestamp or double (``hasOrderedElement``), then the id.
        var prefixElements: Int {
            switch self {
            case .kind, .importance, .name, .vector: 3
            case .time, .conversation, .owner: 2
            case .expiry: 1
            }
        }

        /// Whether a timestamp or double orders the entries before the id.
        var hasOrderedElement: Bool {
            switch self {
            case .kind, .time, .conversation, .expiry, .importance: true
            case .owner, .name, .vector: false
            }
        }
    }

    /// Every index key that `node`'s record implies (not its vectors: ``vector(namespace:space:id:)``).
    static func keys(for node: Node) -> [[UInt8]] {
        let id = node.id
        var keys: [[UInt8]] = [
            TupleKey(Tag.kind.rawValue, node.namespace, node.kind.name, node.createdAt, id).bytes,
            TupleKey(Tag.time.rawValue, node.namespace, node.createdAt, id).bytes,
        ]
        for owner in Set(node.content.owners) {
            keys.append(TupleKey(Tag.owner.rawValue, owner, id).bytes)
        }
        if let expiresAt = node.expiresAt {
            keys.append(TupleKey(Tag.expiry.rawValue, expiresAt, id).bytes)
        }
        switch node.content {
        case .message(let message):
            keys.append(TupleKey(Tag.conversation.rawValue, message.conversation, node.createdAt, id).bytes)
        case .memory(let memory):
            keys.append(TupleKey(Tag.importance.rawValue, node.namespace, memory.kind.rawValue, memory.importance, id).bytes)
        case .entity(let entity):
            for name in Set([entity.name] + entity.aliases) {
                keys.append(TupleKey(Tag.name.rawValue, node.namespace, foldedName(name), id).bytes)
            }
        case .conversation, .summary, .custom:
            break
        }
        return keys
    }

    /// The key listing `id`'s vector in `space`.
    static func vector(namespace: String, space: String, id: NodeID) -> [UInt8] {
        TupleKey(Tag.vector.rawValue, namespace, space, id).bytes
    }

    /// Names compare case-insensitively: the index holds them lower-cased.
    static func foldedName(_ name: String) -> String { name.lowercased() }

    /// The id that ends every index key.
    static func id(in key: [UInt8]) throws -> NodeID {
        let tuple = try TupleKey(decoding: key)
        guard let id = NodeID(tupleElement: tuple.elements[tuple.count - 1]) else {
            throw GraphError.corruption("index key \(tuple) does not end with an id")
        }
        return id
    }
}
