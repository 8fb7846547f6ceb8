/// Types and checks the lines of `ingest.jsonl` in order, keeping what it has seen so that every
/// reference is checked against the nodes ingested before it (or earlier in the same line).
struct IngestDecoder {
    static let file = "ingest.jsonl"
    /// The vectors of `vectors.fvecs`, row-major, `dim` per row.
    let vectors: [Float]
    let dim: Int
    /// Every node so far, by id.
    private(set) var nodes: [String: MW1Node] = [:]
    /// Edges per type so far.
    private(set) var edgeCounts: [MW1Edge.EdgeType: Int] = [:]

    init(vectors: [Float], dim: Int) {
        (self.vectors, self.dim) = (vectors, dim)
    }

    /// The typed transaction of line `line` (1-based).
    mutating func decode(_ raw: RawTransaction, line: Int) throws(MW1DatasetError) -> MW1Transaction {
        func invalid(_ reason: String) -> MW1DatasetError { .invalid(file: Self.file, line: line, reason: reason) }
        guard raw.tx == line - 1 else { throw invalid("tx is \(raw.tx), expected \(line - 1) (one transaction a line, from 0)") }
        var nodes: [MW1Node] = []
        var embedding: MW1Embedding?
        for (index, rawNode) in raw.nodes.enumerated() {
            let (node, row) = try typed(rawNode, invalid: { invalid("node \(index) (\(rawNode.id)): \($0)") })
            guard self.nodes[node.id] == nil else { throw invalid("node \(index): duplicate id \(node.id)") }
            if let row {
                guard embedding == nil else { throw invalid("more than one message or memory in one transaction") }
                guard row == raw.tx else { throw invalid("node \(index) (\(node.id)): vec is \(row), expected the transaction's \(raw.tx)") }
                guard (row + 1) * dim <= vectors.count else {
                    throw invalid("node \(index) (\(node.id)): vec \(row) is past the \(vectors.count / dim) rows of vectors.fvecs")
                }
                embedding = MW1Embedding(owner: node.id, vector: vectors[(row * dim)..<((row + 1) * dim)])
            }
            self.nodes[node.id] = node
            nodes.append(node)
        }
        guard embedding != nil else { throw invalid("no message or memory: each transaction holds exactly one") }
        var edges: [MW1Edge] = []
        for (index, rawEdge) in raw.edges.enumerated() {
            let edge = try typed(rawEdge, invalid: { invalid("edge \(index) (\(rawEdge.from) -> \(rawEdge.to)): \($0)") })
            edgeCounts[edge.type, default: 0] += 1
            edges.append(edge)
        }
        return MW1Transaction(number: raw.tx, nodes: nodes, edges: edges, embedding: embedding)
    }

    /// The node and its vector row (messages and memories).
    private func typed(
        _ n: RawNode, invalid: (String) -> MW1DatasetError
    ) throws(MW1DatasetError) -> (MW1Node, Int?) {
        func need<T>(_ value: T?, _ field: String) throws(MW1DatasetError) -> T {
            guard let value else { throw invalid("missing field \(field) for a \(n.kind)") }
            return value
        }
        func reference(_ id: String, _ field: String, _ kind: MW1Node.Kind) throws(MW1DatasetError) {
            guard let target = nodes[id] else { throw invalid("\(field) \(id) does not exist yet") }
            guard target.kind == kind else { throw invalid("\(field) \(id) is a \(target.kind.rawValue), not a \(kind.rawValue)") }
            guard target.namespace == n.ns else { throw invalid("\(field) \(id) is in \(target.namespace), not \(n.ns)") }
        }
        guard !n.id.isEmpty else { throw invalid("empty id") }
        guard !n.ns.isEmpty else { throw invalid("empty ns") }
        guard let kind = MW1Node.Kind(rawValue: n.kind) else { throw invalid("unknown kind \"\(n.kind)\"") }
        switch kind {
        case .conversation:
            return (.conversation(.init(id: n.id, namespace: n.ns, title: try need(n.title, "title"), ts: try need(n.ts, "ts"))), nil)
        case .message:
            let conversation = try need(n.conversation, "conversation")
            try reference(conversation, "conversation", .conversation)
            let roleName = try need(n.role, "role")
            guard let role = MW1Node.Role(rawValue: roleName) else { throw invalid("unknown role \"\(roleName)\"") }
            let message = MW1Node.Message(
                id: n.id, namespace: n.ns, conversation: conversation, role: role, ts: try need(n.ts, "ts"),
                text: try need(n.text, "text"), tokens: try need(n.tokens, "tokens"))
            return (.message(message), try need(n.vec, "vec"))
        case .entity:
            let typeName = try need(n.type, "type")
            guard let type = MW1Node.EntityType(rawValue: typeName) else { throw invalid("unknown entity type \"\(typeName)\"") }
            return (.entity(.init(id: n.id, namespace: n.ns, type: type, name: try need(n.name, "name"))), nil)
        case .memory:
            let kindName = try need(n.memoryKind, "memory_kind")
            guard let memoryKind = MW1Node.MemoryKind(rawValue: kindName) else { throw invalid("unknown memory_kind \"\(kindName)\"") }
            let importance = try need(n.importance, "importance")
            guard (0...1).contains(importance) else { throw invalid("importance \(importance) is outside [0, 1]") }
            let source = try need(n.source, "source")
            try reference(source, "source", .message)
            let memory = MW1Node.Memory(
                id: n.id, namespace: n.ns, memoryKind: memoryKind, importance: importance, ts: try need(n.ts, "ts"),
                expiresAt: n.expiresAt, text: try need(n.text, "text"), tokens: try need(n.tokens, "tokens"), source: source)
            return (.memory(memory), try need(n.vec, "vec"))
        }
    }

    private func typed(_ e: RawEdge, invalid: (String) -> MW1DatasetError) throws(MW1DatasetError) -> MW1Edge {
        guard let type = MW1Edge.EdgeType(rawValue: e.type) else { throw invalid("unknown edge type \"\(e.type)\"") }
        guard let from = nodes[e.from] else { throw invalid("from \(e.from) does not exist by this transaction") }
        guard let to = nodes[e.to] else { throw invalid("to \(e.to) does not exist by this transaction") }
        guard (0...1).contains(e.weight) else { throw invalid("weight \(e.weight) is outside [0, 1]") }
        let expected: (MW1Node.Kind, MW1Node.Kind) =
            switch type {
            case .mentions: (.message, .entity)
            case .repliesTo: (.message, .message)
            case .derivedFrom: (.memory, .message)
            }
        guard from.kind == expected.0 && to.kind == expected.1 else {
            throw invalid("\(type.rawValue) goes \(expected.0.rawValue) -> \(expected.1.rawValue), not \(from.kind.rawValue) -> \(to.kind.rawValue)")
        }
        return MW1Edge(type: type, from: e.from, to: e.to, weight: e.weight)
    }
}
