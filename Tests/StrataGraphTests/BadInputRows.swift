import Foundation
import StrataEngine
import StrataGraph

/// The bad-input table of ``GraphBadInputTests``, over ``GraphBadInputTests/fixture()``:
/// conversation `c1` with messages `m1`...`m3` and entity `e-paris` in namespace `ns`, memory
/// `mem1` (from `m1`), custom node `task1`, an empty conversation `c2`, conversation `o1` in
/// namespace `other`, and the cosine space `text` of dimension 2.
enum BadInputRows {
    static let base = Date(timeIntervalSince1970: 1_700_000_000)
    static let far = Date(timeIntervalSince1970: 1e10)  // the year 2286
    static let invalid = StrataError.Code.invalidField

    static func node(_ id: NodeID, namespace: String = "ns", _ content: NodeContent) -> Node {
        Node(id: id, namespace: namespace, createdAt: base, content)
    }

    static func node(_ content: NodeContent) -> Node { node("new", content) }

    static func node(namespace: String, _ content: NodeContent) -> Node { node("new", namespace: namespace, content) }

    static func message(_ conversation: NodeID = "c1", text: String = "hi", parent: NodeID? = nil, namespace: String = "ns") -> Node {
        node("new", namespace: namespace, .message(Message(conversation: conversation, role: .user, content: .text(text), parent: parent)))
    }

    static func memory(importance: Double = 0.5, decay: Double = 0, source: NodeID? = nil) -> Node {
        node(.memory(Memory(kind: .semantic, text: "fact", importance: importance, decayRate: decay, source: source)))
    }

    static func entity(_ name: String) -> Node { node(.entity(Entity(type: .person, name: name))) }

    static func custom(_ kind: String, _ properties: Properties = [:]) -> Node { node(.custom(CustomNode(kind: kind, properties: properties))) }

    static func edge(_ from: NodeID = "m2", _ type: EdgeType = .relatesTo, _ to: NodeID = "m3", weight: Double = 1, properties: Properties = [:]) -> Edge {
        Edge(from: from, type: type, to: to, weight: weight, properties: properties, validFrom: base)
    }

    static let all: [BadInputRow] = unknownIDs + wrongKinds + namespaces + fieldSizes + numbers + vectors + queries

    static let unknownIDs: [BadInputRow] = [
        .write("update of an unknown id", .missingRecord) { try $0.update(node("absent", .conversation(Conversation(title: "x")))) },
        .write("update(id:) of an unknown id", .missingRecord) { try $0.update("absent") { $0.expiresAt = nil } },
        .write("delete of an unknown id", .missingRecord) { try $0.delete("absent") },
        .write("bulk delete with an unknown id", .missingRecord) { try $0.delete(contentsOf: ["m1", "absent"]) },
        .write("edge from an unknown id", .missingRecord) { try $0.addEdge(edge("absent", .relatesTo, "m1")) },
        .write("edge to a missing node", .missingRecord) { try $0.addEdge(edge("m1", .relatesTo, "absent")) },
        .write("invalidate an unknown edge", .missingRecord) { try $0.invalidateEdge(from: "m1", type: .relatesTo, to: "m3") },
        .write("vector of an unknown node", .missingRecord) { try $0.setVector([1, 0], for: "absent", in: "text") },
        .write("vector in an unknown space", .missingRecord) { try $0.setVector([1, 0], for: "m1", in: "nospace") },
        .write("record access of an unknown id", .missingRecord) { try $0.recordAccess("absent") },
        .write("message in an unknown conversation", .missingRecord) { try $0.insert(message("absent")) },
        .write("memory from an unknown source", .missingRecord) { try $0.insert(memory(source: "absent")) },
        .write("duplicate id insert", .duplicateID) { try $0.insert(node("m2", .conversation(Conversation(title: "again")))) },
        .write("duplicate id within a bulk insert", .duplicateID) {
            try $0.insert(contentsOf: [node("x1", .conversation(Conversation(title: "a"))), node("x1", .conversation(Conversation(title: "b")))])
        },
    ]

    static let wrongKinds: [BadInputRow] = [
        .write("message whose conversation is an entity", .wrongKind) { try $0.insert(message("e-paris")) },
        .write("message whose parent is not a message", .wrongKind) { try $0.insert(message(parent: "mem1")) },
        .write("memory whose source is not a message", .wrongKind) { try $0.insert(memory(source: "e-paris")) },
        .write("update that changes the kind", .wrongKind) { try $0.update("m1") { $0.content = .entity(Entity(type: .person, name: "m")) } },
        .write("update that changes a custom kind", .wrongKind) { try $0.update("task1") { $0.content = .custom(CustomNode(kind: "note")) } },
        .read("messages of an entity", .wrongKind) { _ = try $0.messages(in: "e-paris") },
    ]

    static let namespaces: [BadInputRow] = [
        .write("edge across namespaces", .namespaceMismatch) { try $0.addEdge(edge("m1", .relatesTo, "o1")) },
        .write("message in a conversation of another namespace", .namespaceMismatch) { try $0.insert(message("o1")) },
        .write("summary of a node in another namespace", .namespaceMismatch) { try $0.insert(node(.summary(Summary(subject: "o1", text: "s")))) },
        .write("update that changes the namespace", .namespaceMismatch) { try $0.update("m1") { $0.namespace = "other" } },
        .read("node(_:in:) of another namespace", .namespaceMismatch) { _ = try $0.node("m1", in: "other") },
        .read("messages with another namespace", .namespaceMismatch) { _ = try $0.messages(in: "c1", namespace: "other") },
    ]

    static let fieldSizes: [BadInputRow] = [
        .write("empty namespace", invalid) { try $0.insert(node(namespace: "", .conversation(Conversation(title: "x")))) },
        .write("oversized namespace", invalid) {
            try $0.insert(node(namespace: String(repeating: "n", count: GraphLimits.maxNamespaceBytes + 1), .conversation(Conversation(title: "x"))))
        },
        .write("empty id", invalid) { try $0.insert(node("", .conversation(Conversation(title: "x")))) },
        .write("oversized id", invalid) { try $0.insert(node(NodeID(String(repeating: "i", count: NodeID.maxNameBytes + 1)), .conversation(Conversation(title: "x")))) },
        .write("empty entity name", invalid) { try $0.insert(entity("")) },
        .write("oversized entity name", invalid) { try $0.insert(entity(String(repeating: "e", count: GraphLimits.maxNameBytes + 1))) },
        .write("empty alias", invalid) { try $0.insert(node(.entity(Entity(type: .person, name: "a", aliases: [""])))) },
        .write("oversized title", invalid) { try $0.insert(node(.conversation(Conversation(title: String(repeating: "t", count: GraphLimits.maxNameBytes + 1))))) },
        .write("empty message text", invalid) { try $0.insert(message(text: "")) },
        .write("oversized message text", invalid) { try $0.insert(message(text: String(repeating: "x", count: GraphLimits.maxTextBytes + 1))) },
        .write("empty memory text", invalid) { try $0.insert(node(.memory(Memory(kind: .working, text: "")))) },
        .write("empty custom kind name", invalid) { try $0.insert(custom("")) },
        .write("oversized custom kind name", invalid) { try $0.insert(custom(String(repeating: "k", count: NodeKind.maxCustomNameBytes + 1))) },
        .write("custom kind with a built-in name", invalid) { try $0.insert(custom("message")) },
        .write("empty edge type", invalid) { try $0.addEdge(edge("m2", "", "m3")) },
        .write("oversized edge type", invalid) { try $0.addEdge(edge("m2", EdgeType(String(repeating: "T", count: EdgeType.maxNameBytes + 1)), "m3")) },
        .write("empty property name", invalid) { try $0.insert(custom("task", ["": 1])) },
        .write("message whose parent is in another conversation", invalid) {
            try $0.insert(node("m9", .message(Message(conversation: "c2", role: .user, content: .text("x"), parent: "m1"))))
        },
        .write("summary of itself", invalid) { try $0.insert(node("s1", .summary(Summary(subject: "s1", text: "me")))) },
        .write("message answering itself", invalid) { try $0.insert(node("m9", .message(Message(conversation: "c1", role: .user, content: .text("x"), parent: "m9")))) },
        .write("update that changes the id", invalid) { try $0.update("m1") { $0.id = "m1-renamed" } },
        .write("bad node after a good one in a bulk insert", invalid) {
            try $0.insert(contentsOf: [node("ok", .conversation(Conversation(title: "fine"))), entity("")])
        },
    ]

    static let numbers: [BadInputRow] = [
        .write("importance above 1", invalid) { try $0.insert(memory(importance: 1.5)) },
        .write("importance below 0", invalid) { try $0.insert(memory(importance: -0.01)) },
        .write("importance NaN", invalid) { try $0.insert(memory(importance: .nan)) },
        .write("importance update to NaN", invalid) { try $0.update("mem1") { $0.content = .memory(Memory(kind: .semantic, text: "x", importance: .nan)) } },
        .write("negative decay", invalid) { try $0.insert(memory(decay: -0.1)) },
        .write("infinite decay", invalid) { try $0.insert(memory(decay: .infinity)) },
        .write("negative tokenCount", invalid) { try $0.insert(node(.message(Message(conversation: "c1", role: .user, text: "x", tokenCount: -1)))) },
        .write("createdAt after 2255", invalid) { try $0.insert(Node(id: "new", namespace: "ns", createdAt: far, .conversation(Conversation(title: "x")))) },
        .write("createdAt NaN", invalid) {
            try $0.insert(Node(id: "new", namespace: "ns", createdAt: Date(timeIntervalSince1970: .nan), .conversation(Conversation(title: "x"))))
        },
        .write("expiresAt before 1685", invalid) {
            try $0.insert(Node(id: "new", namespace: "ns", createdAt: base, expiresAt: .distantPast, .conversation(Conversation(title: "x"))))
        },
        .write("update with expiresAt far in the future", invalid) { try $0.update("m2") { $0.expiresAt = .distantFuture } },
        .write("edge validFrom far in the future", invalid) { try $0.addEdge(Edge(from: "m2", type: .relatesTo, to: "m3", validFrom: far)) },
        .write("record access at a far date", invalid) { try $0.recordAccess("mem1", at: .distantFuture) },
        .write("invalidate before validFrom", invalid) { try $0.invalidateEdge(from: "m1", type: .mentions, to: "e-paris", at: base.addingTimeInterval(-1)) },
        .write("invalidate at a far date", invalid) { try $0.invalidateEdge(from: "m1", type: .mentions, to: "e-paris", at: .distantFuture) },
        .write("NaN weight", invalid) { try $0.addEdge(edge(weight: .nan)) },
        .write("infinite weight", invalid) { try $0.addEdge(edge(weight: -.infinity)) },
        .write("NaN in edge properties", invalid) { try $0.addEdge(edge(properties: ["p": .double(.nan)])) },
        .write("infinity nested in custom properties", invalid) { try $0.insert(custom("task", ["a": .array([.object(["b": .double(.infinity)])])])) },
        .write("NaN in message metadata", invalid) {
            try $0.insert(node(.message(Message(conversation: "c1", role: .user, content: .text("x"), metadata: ["score": .double(.nan)]))))
        },
        .write("NaN in structured content", invalid) { try $0.insert(node(.message(Message(conversation: "c1", role: .tool, content: .structured(.double(.nan)))))) },
        .store("expire at a far date", invalid) { _ = try $0.expire(now: .distantFuture) },
    ]

    static let vectors: [BadInputRow] = [
        .write("vector dimension mismatch", .dimensionMismatch) { try $0.setVector([1, 0, 0], for: "m2", in: "text") },
        .write("NaN in a vector", .nonFiniteVector) { try $0.setVector([.nan, 1], for: "m2", in: "text") },
        .write("infinity in a vector", .nonFiniteVector) { try $0.setVector([1, .infinity], for: "m2", in: "text") },
        .write("zero vector for cosine", invalid) { try $0.setVector([0, 0], for: "m2", in: "text") },
        .write("space redefined with another dimension", .dimensionMismatch) { try $0.define(EmbeddingSpace(name: "text", model: "test", dimension: 3, metric: .cosine)) },
        .write("space redefined with another metric", .dimensionMismatch) { try $0.define(EmbeddingSpace(name: "text", model: "test", dimension: 2, metric: .l2)) },
        .write("space redefined with another model", .dimensionMismatch) { try $0.define(EmbeddingSpace(name: "text", model: "other", dimension: 2, metric: .cosine)) },
        .write("space of dimension 0", invalid) { try $0.define(EmbeddingSpace(name: "empty", model: "m", dimension: 0, metric: .l2)) },
        .write("space of too many dimensions", invalid) { try $0.define(EmbeddingSpace(name: "huge", model: "m", dimension: GraphLimits.maxDimension + 1, metric: .l2)) },
        .write("space with an empty name", invalid) { try $0.define(EmbeddingSpace(name: "", model: "m", dimension: 2, metric: .l2)) },
        .read("search in an unknown space", .missingRecord) { _ = try $0.nearest(to: [1, 0], k: 1, in: "nospace", namespace: "ns") },
        .read("query of the wrong dimension", .dimensionMismatch) { _ = try $0.nearest(to: [1, 0, 0], k: 1, in: "text", namespace: "ns") },
        .read("NaN query", .nonFiniteVector) { _ = try $0.nearest(to: [.nan, 0], k: 1, in: "text", namespace: "ns") },
        .read("zero query for cosine", invalid) { _ = try $0.nearest(to: [0, 0], k: 1, in: "text", namespace: "ns") },
        .read("k below 1", invalid) { _ = try $0.nearest(to: [1, 0], k: 0, in: "text", namespace: "ns") },
        .read("vector in an unknown space", .missingRecord) { _ = try $0.vector(of: "m1", in: "nospace") },
    ]

    static let queries: [BadInputRow] = [
        .read("hops below 1", invalid) { _ = try $0.expand(from: "m1", hops: 0) },
        .read("expand with a negative limit", invalid) { _ = try $0.expand(from: "m1", hops: 1, limit: -1) },
        .read("expand from an unknown node", .missingRecord) { _ = try $0.expand(from: "absent", hops: 1) },
        .read("messages with a negative limit", invalid) { _ = try $0.messages(in: "c1", limit: -1) },
        .read("messages of an unknown conversation", .missingRecord) { _ = try $0.messages(in: "absent") },
        .read("nodes with a negative limit", invalid) { _ = try $0.nodes(in: "ns", limit: -1) },
        .read("olderThan with a negative limit", invalid) { _ = try $0.nodes(in: "ns", olderThan: base, limit: -1) },
        .read("memories with a negative limit", invalid) { _ = try $0.memories(in: "ns", limit: -1) },
        .read("memories with a NaN minimum", invalid) { _ = try $0.memories(in: "ns", minImportance: .nan) },
        .read("mentions with a negative limit", invalid) { _ = try $0.mentionIDs(of: "e-paris", limit: -1) },
        .read("coMentioned with a negative limit", invalid) { _ = try $0.coMentioned(with: "e-paris", inNewest: -1) },
    ]
}
