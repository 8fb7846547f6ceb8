#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// The value stored under a node's key in the `nodes` tree (FORMAT.md, "Node records"). The id is
/// the key, so the value does not repeat it.
enum NodeCodec {
    /// The record format this code writes; a record with a higher version is refused.
    static let formatVersion: UInt8 = 1

    static func encode(_ node: Node) -> [UInt8] {
        var writer = RecordWriter(capacity: 96)
        writer.byte(formatVersion)
        writer.byte(node.kind.code)
        writer.string(node.namespace)
        writer.varint(node.version)
        writer.date(node.createdAt)
        writer.date(node.updatedAt)
        writer.optional(node.expiresAt) { $0.date($1) }
        switch node.content {
        case .conversation(let conversation):
            writer.string(conversation.title)
            writer.optional(conversation.session) { $0.string($1) }
            writer.byte(conversation.status.rawValue)
        case .message(let message):
            writer.id(message.conversation)
            writer.byte(message.role.rawValue)
            switch message.content {
            case .text(let text):
                writer.byte(0)
                writer.string(text)
            case .structured(let value):
                writer.byte(1)
                PropertyCodec.write(value, to: &writer)
            case .toolResult(let callID, let output):
                writer.byte(2)
                writer.string(callID)
                writer.string(output)
            }
            writer.optional(message.parent) { $0.id($1) }
            writer.varint(UInt64(message.tokenCount))
            PropertyCodec.write(message.metadata, to: &writer)
        case .entity(let entity):
            writer.string(entity.type.name)
            writer.string(entity.name)
            writer.varint(UInt64(entity.aliases.count))
            for alias in entity.aliases { writer.string(alias) }
            writer.optional(entity.summary) { $0.string($1) }
        case .summary(let summary):
            writer.id(summary.subject)
            writer.string(summary.text)
            writer.optional(summary.covering) { writer, range in
                writer.date(range.lowerBound)
                writer.date(range.upperBound)
            }
        case .memory(let memory):
            writer.byte(memory.kind.rawValue)
            writer.string(memory.text)
            writer.double(memory.importance)
            writer.double(memory.decayRate)
            writer.optional(memory.source) { $0.id($1) }
            writer.varint(UInt64(memory.tokenCount))
        case .custom(let custom):
            writer.string(custom.kind)
            writer.optional(custom.owner) { $0.id($1) }
            PropertyCodec.write(custom.properties, to: &writer)
        }
        return writer.bytes
    }

    /// The fields every record starts with, read without decoding the rest.
    struct Header {
        var kindCode: UInt8
        var namespace: String
        var createdAt: Date
        var expiresAt: Date?
    }

    static func header(_ bytes: [UInt8], id: NodeID) throws -> Header {
        var reader = RecordReader(bytes, "node", id)
        let version = try reader.byte()
        guard version >= 1, version <= formatVersion else {
            throw StrataError(.formatVersion, "node \(id) has record format \(version); this build reads 1 ... \(formatVersion)")
        }
        let kindCode = try reader.byte()
        let namespace = try reader.string()
        _ = try reader.varint()
        let createdAt = try reader.date()
        _ = try reader.date()
        let expiresAt = try reader.optional { try $0.date() }
        return Header(kindCode: kindCode, namespace: namespace, createdAt: createdAt, expiresAt: expiresAt)
    }

    static func decode(_ bytes: [UInt8], id: NodeID) throws -> Node {
        var reader = RecordReader(bytes, "node", id)
        let version = try reader.byte()
        guard version >= 1, version <= formatVersion else {
            throw StrataError(.formatVersion, "node \(id) has record format \(version); this build reads 1 ... \(formatVersion)")
        }
        let kindCode = try reader.byte()
        let namespace = try reader.string()
        let recordVersion = try reader.varint()
        let createdAt = try reader.date()
        let updatedAt = try reader.date()
        let expiresAt = try reader.optional { try $0.date() }
        let content: NodeContent
        switch kindCode {
        case 1:
            let title = try reader.string()
            let session = try reader.optional { try $0.string() }
            guard let status = Conversation.Status(rawValue: try reader.byte()) else { throw reader.failure("status") }
            content = .conversation(Conversation(title: title, session: session, status: status))
        case 2:
            let conversation = try reader.id()
            guard let role = Message.Role(rawValue: try reader.byte()) else { throw reader.failure("role") }
            let body: Message.Content
            switch try reader.byte() {
            case 0: body = .text(try reader.string())
            case 1: body = .structured(try PropertyCodec.read(&reader))
            case 2: body = .toolResult(callID: try reader.string(), output: try reader.string())
            default: throw reader.failure("message content tag")
            }
            let parent = try reader.optional { try $0.id() }
            let tokens = try reader.varint()
            guard tokens <= UInt64(Int.max) else { throw reader.failure("token count") }
            let metadata = try PropertyCodec.readBag(&reader)
            content = .message(Message(
                conversation: conversation, role: role, content: body, parent: parent, tokenCount: Int(tokens),
                metadata: metadata))
        case 3:
            let type = try reader.string()
            let name = try reader.string()
            let aliasCount = try reader.count(limit: Int.max)
            var aliases: [String] = []
            for _ in 0..<aliasCount { aliases.append(try reader.string()) }
            let summary = try reader.optional { try $0.string() }
            content = .entity(Entity(type: Entity.EntityType(type), name: name, aliases: aliases, summary: summary))
        case 4:
            let subject = try reader.id()
            let text = try reader.string()
            let covering = try reader.optional { reader -> Range<Date> in
                let lower = try reader.date()
                let upper = try reader.date()
                guard lower <= upper else { throw reader.failure("covering range") }
                return lower..<upper
            }
            content = .summary(Summary(subject: subject, text: text, covering: covering))
        case 5:
            guard let kind = Memory.Kind(rawValue: try reader.byte()) else { throw reader.failure("memory kind") }
            let text = try reader.string()
            let importance = try reader.double()
            let decay = try reader.double()
            let source = try reader.optional { try $0.id() }
            let tokens = try reader.varint()
            guard tokens <= UInt64(Int.max) else { throw reader.failure("token count") }
            content = .memory(Memory(
                kind: kind, text: text, importance: importance, decayRate: decay, source: source, tokenCount: Int(tokens)))
        case 6:
            let kind = try reader.string()
            let owner = try reader.optional { try $0.id() }
            let properties = try PropertyCodec.readBag(&reader)
            content = .custom(CustomNode(kind: kind, properties: properties, owner: owner))
        default:
            throw reader.failure("kind code \(kindCode)")
        }
        try reader.finish()
        var node = Node(id: id, namespace: namespace, createdAt: createdAt, expiresAt: expiresAt, content)
        node.updatedAt = updatedAt
        node.version = recordVersion
        return node
    }
}
