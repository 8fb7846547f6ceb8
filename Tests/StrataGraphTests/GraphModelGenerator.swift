import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport

/// Makes the model test's random operations from a small pool of ids, two namespaces, a few
/// names, edge types and embedding spaces, so that operations collide: duplicates, unknown ids,
/// wrong kinds and cross-namespace references come up often and must be refused exactly.
struct GraphModelGenerator {
    var rng: SeededRandom

    /// Every id the test uses: string ids and a few UUIDs (which order before every string id).
    let ids: [NodeID]
    static let namespaces = ["ns-a", "ns-a2"]
    static let names = ["Paris", "paris", "Pari", "Alice", "Bob", "Rome", "ACME", "Émile"]
    static let edgeTypes: [EdgeType] = [.mentions, .repliesTo, .relatesTo, "likes", "like"]
    static let customKinds = ["task", "tasks", "note"]
    static let spaces = [
        EmbeddingSpace(name: "cos3", model: "m-cos", dimension: 3, metric: .cosine),
        EmbeddingSpace(name: "l2d10", model: "m-l2", dimension: 10, metric: .l2),
        EmbeddingSpace(name: "dot4", model: "m-dot", dimension: 4, metric: .dot),
    ]
    /// Where the clock starts: a whole second, so every date the test makes is exact.
    static let epoch = Date(timeIntervalSince1970: 1_750_000_000)

    init(seed: UInt64) {
        rng = SeededRandom(seed: seed)
        var ids: [NodeID] = ["n0"] + (0..<25).map { NodeID(String(format: "n%02d", $0)) }
        for _ in 0..<4 {
            let b = rng.bytes(count: 16)
            ids.append(.uuid(UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))))
        }
        self.ids = ids
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    mutating func namespace() -> String { chance(0.85) ? "ns-a" : "ns-a2" }

    /// An id of a node of `kind` (any kind if nil) in `namespace` most of the time, else any id.
    mutating func reference(_ graph: ReferenceGraph, kind: NodeKind?, namespace: String) -> NodeID {
        let fitting = graph.nodes.values.filter { ($0.kind == kind || kind == nil) && $0.namespace == namespace }.map(\.id).sorted()
        if !fitting.isEmpty, chance(0.9) { return pick(fitting) }
        return pick(ids)
    }

    mutating func properties() -> Properties {
        var bag: Properties = [:]
        for index in 0..<int(0...2) {
            bag["p\(index)"] = pick([.int(Int64(int(-5...5))), .string("v\(int(0...9))"), .double(Double(int(0...8)) / 4), .bool(chance(0.5)), .null,
                                     .array([.int(1), .string("x")]), .object(["k": .bytes([1, 2, 3])])])
        }
        return bag
    }

    mutating func importance() -> Double {
        pick([0, -0.0, 0.25, 0.5, 0.5, 0.75, 1, Double(int(0...1000)) / 1000])
    }

    mutating func vector(dimension: Int) -> [Float] {
        (0..<dimension).map { _ in Float(int(-3...3)) }
    }

    /// A new node (valid fields) for `id`, referring to nodes of `graph`.
    mutating func node(_ id: NodeID, in graph: ReferenceGraph, now: Date) -> Node {
        let namespace = namespace()
        let createdAt = now.addingTimeInterval(-Double(int(0...40)))
        let expiresAt = chance(0.2) ? now.addingTimeInterval(Double(int(-3...40))) : nil
        let content: NodeContent
        switch int(0...9) {
        case 0: content = .conversation(Conversation(title: "chat \(int(0...99))", session: chance(0.3) ? "s1" : nil, status: pick(Conversation.Status.allCases)))
        case 1, 2, 3:
            let conversation = reference(graph, kind: .conversation, namespace: namespace)
            var parent: NodeID?
            if chance(0.4) {
                let siblings = graph.nodes.values.filter { $0.message?.conversation == conversation }.map(\.id).sorted()
                parent = siblings.isEmpty || chance(0.1) ? pick(ids) : pick(siblings)
            }
            let body: Message.Content = pick([.text("hello \(int(0...99))"), .structured(.object(["a": .int(1)])), .toolResult(callID: "call-1", output: "ok")])
            content = .message(Message(conversation: conversation, role: pick(Message.Role.allCases), content: body, parent: parent,
                                       tokenCount: int(0...500), metadata: properties()))
        case 4, 5:
            content = .entity(Entity(type: pick([.person, .place, "thing"]), name: pick(Self.names),
                                     aliases: (0..<int(0...2)).map { _ in pick(Self.names) }, summary: chance(0.5) ? "about" : nil))
        case 6: content = .summary(Summary(subject: reference(graph, kind: nil, namespace: namespace), text: "summary",
                                           covering: chance(0.5) ? createdAt..<now : nil))
        case 7, 8:
            content = .memory(Memory(kind: pick(Memory.Kind.allCases), text: "fact \(int(0...99))", importance: importance(),
                                     decayRate: Double(int(0...3)) / 10,
                                     source: chance(0.4) ? reference(graph, kind: .message, namespace: namespace) : nil))
        default:
            content = .custom(CustomNode(kind: pick(Self.customKinds), properties: properties(),
                                         owner: chance(0.4) ? reference(graph, kind: nil, namespace: namespace) : nil))
        }
        return Node(id: id, namespace: namespace, createdAt: createdAt, expiresAt: expiresAt, content)
    }

    /// `node` with changed fields (same id, kind and namespace unless `breakIt`).
    mutating func changed(_ node: Node, in graph: ReferenceGraph, now: Date) -> Node {
        var node = node
        switch node.content {
        case .conversation(var conversation):
            conversation.title = "renamed \(int(0...9))"
            conversation.status = pick(Conversation.Status.allCases)
            node.content = .conversation(conversation)
        case .message(var message):
            message.content = .text("edited \(int(0...9))")
            message.tokenCount = int(0...99)
            if chance(0.3) { message.parent = nil }
            node.content = .message(message)
        case .entity(var entity):
            entity.name = pick(Self.names)
            entity.aliases = (0..<int(0...2)).map { _ in pick(Self.names) }
            node.content = .entity(entity)
        case .summary(var summary):
            summary.text = "resummarised"
            node.content = .summary(summary)
        case .memory(var memory):
            memory.importance = importance()
            if chance(0.3) { memory.kind = pick(Memory.Kind.allCases) }
            if chance(0.2) { memory.source = nil }
            node.content = .memory(memory)
        case .custom(var custom):
            custom.properties = properties()
            node.content = .custom(custom)
        }
        if chance(0.25) { node.expiresAt = chance(0.5) ? nil : now.addingTimeInterval(Double(int(-2...30))) }
        if chance(0.2) { node.updatedAt = now.addingTimeInterval(Double(int(1...5))) }
        if chance(0.04) { node.namespace = node.namespace == "ns-a" ? "ns-a2" : "ns-a" }
        if chance(0.04) { node.content = .custom(CustomNode(kind: "other")) }
        return node
    }

    /// One random write, valid or not, given the graph it applies to.
    mutating func operation(_ graph: ReferenceGraph, now: Date) -> GraphModelOperation {
        if chance(0.08) { return badOperation(graph, now: now) }
        let id = pick(ids)
        switch int(0...99) {
        case 0..<30:
            return .insert(node(graph.nodes[id] != nil && chance(0.8) ? pick(ids) : id, in: graph, now: now))
        case 30..<33:
            let fresh = Array(Set((0..<int(1...3)).map { _ in pick(ids) })).sorted()
            return .insertMany(fresh.map { node($0, in: graph, now: now) })
        case 33..<45:
            guard let old = graph.nodes[id] else { return .update(node(id, in: graph, now: now), viaClosure: false) }
            return .update(changed(old, in: graph, now: now), viaClosure: chance(0.5))
        case 45..<52: return .delete(id)
        case 52..<54: return .deleteMany((0..<int(1...3)).map { _ in pick(ids) })
        case 54..<70:
            let from = pick(ids)
            let namespace = graph.nodes[from]?.namespace ?? "ns-a"
            let type = pick(Self.edgeTypes)
            let to = type == .mentions ? reference(graph, kind: .entity, namespace: namespace) : reference(graph, kind: nil, namespace: namespace)
            let validFrom = now.addingTimeInterval(-Double(int(0...20)) + (chance(0.05) ? 30 : 0))
            return .addEdge(Edge(from: from, type: type, to: to, weight: Double(int(0...10)) / 10, properties: properties(), validFrom: validFrom,
                                 validUntil: chance(0.1) ? now.addingTimeInterval(Double(int(-5...20))) : nil))
        case 70..<75:
            if let edge = graph.edges.values.sorted(by: { ($0.from, $0.type.name, $0.to) < ($1.from, $1.type.name, $1.to) }).randomElement(using: &rng), chance(0.9) {
                return .removeEdge(edge.from, edge.type, edge.to)
            }
            return .removeEdge(pick(ids), pick(Self.edgeTypes), pick(ids))
        case 75..<80:
            if let edge = graph.edges.values.sorted(by: { ($0.from, $0.type.name, $0.to) < ($1.from, $1.type.name, $1.to) }).randomElement(using: &rng), chance(0.9) {
                return .invalidateEdge(edge.from, edge.type, edge.to, now.addingTimeInterval(Double(int(-25...2))))
            }
            return .invalidateEdge(pick(ids), pick(Self.edgeTypes), pick(ids), now)
        case 80..<83:
            var space = pick(Self.spaces)
            if chance(0.15) { space.dimension += 1 }
            return .define(space)
        case 83..<92:
            let space = pick(Self.spaces)
            var vector = vector(dimension: space.dimension + (chance(0.05) ? 1 : 0))
            if chance(0.03) { vector[0] = .nan }
            if space.metric == .cosine, chance(0.05) { vector = [0, 0, 0] }
            return .setVector(vector, id, space.name)
        case 92..<95: return .removeVector(id, pick(Self.spaces).name)
        default: return .recordAccess(id, now.addingTimeInterval(-Double(int(0...5))))
        }
    }

    /// An operation with a bad field, and the code it must throw.
    mutating func badOperation(_ graph: ReferenceGraph, now: Date) -> GraphModelOperation {
        var node = node(pick(ids), in: graph, now: now)
        let invalid = StrataError.Code.invalidField
        switch int(0...11) {
        case 0: node.namespace = ""
        case 1: node.namespace = String(repeating: "x", count: GraphLimits.maxNamespaceBytes + 1)
        case 2: node.id = NodeID(String(repeating: "i", count: NodeID.maxNameBytes + 1))
        case 3: node.id = ""
        case 4: node.content = .memory(Memory(kind: .semantic, text: "x", importance: pick([.nan, 1.5, -0.1, .infinity])))
        case 5: node.content = .memory(Memory(kind: .semantic, text: "x", decayRate: pick([-1, .nan])))
        case 6: node.content = .entity(Entity(type: .person, name: ""))
        case 7: node.content = .custom(CustomNode(kind: pick(["message", "entity", ""]), properties: [:]))
        case 8: node.content = .custom(CustomNode(kind: "task", properties: ["d": .array([.double(.nan)])]))
        case 9: node.createdAt = Date(timeIntervalSince1970: 1e10)
        case 10:
            return .bad(.addEdge(Edge(from: pick(ids), type: pick(["", EdgeType(String(repeating: "t", count: 65))]), to: pick(ids), validFrom: now)), invalid)
        default:
            return .bad(.addEdge(Edge(from: pick(ids), type: .relatesTo, to: pick(ids), weight: .nan, validFrom: now)), invalid)
        }
        // Sometimes as an update of an existing node of the same kind and namespace.
        if let old = graph.nodes.values.sorted(by: { $0.id < $1.id }).first(where: { $0.kind == node.kind && $0.namespace == node.namespace }),
            chance(0.3), node.createdAt == node.updatedAt,
            node.id.description.utf8.count <= NodeID.maxNameBytes, !node.id.description.isEmpty
        {
            node.id = old.id
            return .bad(.update(node, viaClosure: chance(0.5)), invalid)
        }
        return .bad(.insert(node), invalid)
    }
}
