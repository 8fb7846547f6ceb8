#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataGraph
import StrataTestSupport

/// Applies one ``GraphWorkload/Operation`` inside a graph transaction, resolving it against what
/// the transaction sees (an insert of an existing node updates it; an edge to a missing node is
/// skipped), so that no operation of a generated workload is refused on a healthy database.
enum GraphOperations {
    static func apply(_ operation: GraphWorkload.Operation, to g: GraphTransaction) throws {
        let now = g.now
        let namespace = GraphWorkload.namespace
        func exists(_ id: String) throws -> Bool { try g.node(NodeID(id)) != nil }
        switch operation {
        case .conversation(let id):
            if try exists(id) {
                try g.update(NodeID(id)) { $0.content = .conversation(Conversation(title: "\(id) at \(now.timeIntervalSince1970)")) }
            } else {
                try g.insert(Node(id: NodeID(id), namespace: namespace, createdAt: now, .conversation(Conversation(title: id, session: "s"))))
            }
        case .message(let id, let conversation, let parent, let bytes):
            guard try exists(conversation) else { return }
            let content = Message.Content.text(text(bytes, id, now))
            if try exists(id) {
                try g.update(NodeID(id)) { node in
                    guard case .message(var message) = node.content else { return }
                    message.content = content
                    message.tokenCount = bytes / 4
                    node.content = .message(message)
                }
            } else {
                let parent = try parent.flatMap { $0 != id ? $0 : nil }.flatMap { try exists($0) ? NodeID($0) : nil }
                let message = Message(
                    conversation: NodeID(conversation), role: Message.Role.allCases[bytes % Message.Role.allCases.count],
                    content: content, parent: parent, tokenCount: bytes / 4)
                try g.insert(Node(id: NodeID(id), namespace: namespace, createdAt: now, .message(message)))
            }
        case .entity(let id):
            if try exists(id) {
                try g.update(NodeID(id)) { node in
                    guard case .entity(var entity) = node.content else { return }
                    entity.summary = "seen at \(now.timeIntervalSince1970)"
                    node.content = .entity(entity)
                }
            } else {
                let entity = Entity(type: .concept, name: "name of \(id)", aliases: ["alias of \(id)"])
                try g.insert(Node(id: NodeID(id), namespace: namespace, createdAt: now, .entity(entity)))
            }
        case .edge(let from, let to, let relates):
            guard try exists(from), try exists(to) else { return }
            try g.addEdge(Edge(
                from: NodeID(from), type: relates ? .relatesTo : .mentions, to: NodeID(to), weight: 0.5,
                properties: ["at": .double(now.timeIntervalSince1970)], validFrom: now))
        case .invalidate(let from, let to, let relates):
            let type: EdgeType = relates ? .relatesTo : .mentions
            guard let edge = try g.edge(from: NodeID(from), type: type, to: NodeID(to)), edge.validUntil == nil else { return }
            try g.invalidateEdge(from: NodeID(from), type: type, to: NodeID(to), at: now)
        case .removeEdge(let from, let to, let relates):
            try g.removeEdge(from: NodeID(from), type: relates ? .relatesTo : .mentions, to: NodeID(to))
        case .memory(let id, let source, let expiresIn):
            if try exists(id) {
                try g.update(NodeID(id)) { node in
                    guard case .memory(var memory) = node.content else { return }
                    memory.importance = Double(Int(now.timeIntervalSince1970) % 101) / 100
                    node.content = .memory(memory)
                }
            } else {
                // A memory of the second namespace has no source (a source is in the memory's namespace).
                let namespace = GraphWorkload.namespace(of: id)
                let source = try source.flatMap { try namespace == GraphWorkload.namespace && exists($0) ? NodeID($0) : nil }
                let kinds = Memory.Kind.allCases
                let kind = kinds[(id.utf8.count + Int(id.utf8.last ?? 0)) % kinds.count]
                let importance = Double(Int(now.timeIntervalSince1970) % 11) / 10
                let memory = Memory(kind: kind, text: text(40, id, now), importance: importance, decayRate: 0.01, source: source)
                try g.insert(Node(
                    id: NodeID(id), namespace: namespace, createdAt: now,
                    expiresAt: expiresIn.map { now.addingTimeInterval(Double($0)) }, .memory(memory)))
            }
        case .access(let id):
            guard try exists(id) else { return }
            try g.recordAccess(NodeID(id), at: now)
        case .vector(let id, let space, let seed):
            guard try exists(id) else { return }
            var vector = GraphWorkload.vector(seed: seed, space: space)
            if GraphWorkload.spaces[space].metric == .cosine, vector.allSatisfy({ $0 == 0 }) { vector[0] = 1 }
            try g.setVector(vector, for: NodeID(id), in: GraphWorkload.spaces[space].name)
        case .removeVector(let id, let space):
            try g.removeVector(for: NodeID(id), in: GraphWorkload.spaces[space].name)
        case .summary(let conversation):
            guard try exists(conversation) else { return }
            let id = conversation + ".sum"
            if try exists(id) {
                try g.update(NodeID(id)) { node in
                    guard case .summary(var summary) = node.content else { return }
                    summary.text = text(60, id, now)
                    node.content = .summary(summary)
                }
            } else {
                let summary = Summary(subject: NodeID(conversation), text: text(60, id, now))
                try g.insert(Node(id: NodeID(id), namespace: namespace, createdAt: now, .summary(summary)))
            }
        case .delete(let id):
            guard try exists(id) else { return }
            try g.delete(NodeID(id))
        case .bulk(let conversation, let count, let bytes):
            if try !exists(conversation) {
                try g.insert(Node(
                    id: NodeID(conversation), namespace: namespace, createdAt: now, .conversation(Conversation(title: conversation))))
            }
            for index in 0..<count where try !exists("\(conversation).b\(index)") {
                let message = Message(conversation: NodeID(conversation), role: .tool, text: text(bytes, "\(index)", now))
                try g.insert(Node(id: NodeID("\(conversation).b\(index)"), namespace: namespace, createdAt: now, .message(message)))
            }
        }
    }

    /// `count` bytes of text that depend on `id` and `now` (so that an edit changes the record).
    static func text(_ count: Int, _ id: String, _ now: Date) -> String {
        let pattern = Array("\(id) said this at \(Int(now.timeIntervalSince1970)); ".utf8)
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count { bytes[index] = pattern[index % pattern.count] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
