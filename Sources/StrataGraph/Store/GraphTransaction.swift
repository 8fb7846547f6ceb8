#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// One atomic change to the graph: every node, edge and vector it writes commits together with
/// every index entry derived from them, or nothing does (``MemoryStore/write(durability:_:)``).
///
/// Each call checks its input completely before it writes anything, so a call that throws leaves
/// the transaction as it was: catch the error and go on, or let it leave the closure and the whole
/// transaction is discarded. Reads through the transaction (``node(_:)``) see its own writes.
public final class GraphTransaction {
    let transaction: Transaction
    let trees: GraphTrees
    let view: GraphView<Transaction>
    /// How many earlier versions of a record an update keeps.
    let versionRetention: Int
    /// The store's clock when the transaction began.
    public let now: Date

    init(transaction: Transaction, trees: GraphTrees, versionRetention: Int, now: Date) {
        self.transaction = transaction
        self.trees = trees
        self.view = trees.view(transaction)
        self.versionRetention = versionRetention
        self.now = now
    }

    // MARK: Reads

    /// The node with `id` as this transaction sees it (expired or not), or nil.
    public func node(_ id: NodeID) throws -> Node? {
        try view.node(id)
    }

    /// The edge `from -type-> to` as this transaction sees it, or nil.
    public func edge(from: NodeID, type: EdgeType, to: NodeID) throws -> Edge? {
        try view.edge(from: from, type: type, to: to)
    }

    // MARK: Nodes

    /// Stores a new node with its index entries and returns it as stored (version 1).
    ///
    /// - Throws: `duplicateID` if the id exists; `invalidField` for a bad field; `missingRecord`,
    ///   `wrongKind` or `namespaceMismatch` for a conversation, parent, subject, source or owner
    ///   that is absent, of the wrong kind, or in another namespace.
    @discardableResult
    public func insert(_ node: Node) throws -> Node {
        let node = try checkedForInsert(node, batch: [:])
        try store(node)
        return try storedForm(of: node)
    }

    /// Stores every node of `nodes`, in order (a node may refer to one before it). The whole
    /// batch is checked before any of it is written: if one node is refused, none is stored.
    public func insert(contentsOf nodes: some Sequence<Node>) throws {
        var batch: [NodeID: Node] = [:]
        var checked: [Node] = []
        for node in nodes {
            let node = try checkedForInsert(node, batch: batch)
            batch[node.id] = node
            checked.append(node)
        }
        for node in checked { try store(node) }
    }

    /// `node` as an insert stores it (version 1), once its fields, id and references (to stored
    /// nodes or to the earlier nodes of `batch`) pass.
    private func checkedForInsert(_ node: Node, batch: [NodeID: Node]) throws -> Node {
        var node = node
        node.version = 1
        try NodeValidation.check(node)
        guard batch[node.id] == nil, try !view.nodes.contains(TupleKey(node.id).bytes) else {
            throw StrataError(.duplicateID, "node \(node.id) already exists; update it instead")
        }
        try checkReferences(of: node, batch: batch)
        return node
    }

    /// Writes a new node's record and index entries.
    private func store(_ node: Node) throws {
        try transaction.insert(NodeCodec.encode(node), forKey: TupleKey(node.id).bytes, in: trees.nodes)
        for key in IndexKey.keys(for: node) {
            try transaction.insert([], forKey: key, in: trees.index)
        }
    }

    /// `node` as a read returns it once written: its dates in the whole nanoseconds the record
    /// holds, and its derived fields (access, mention count) filled in.
    private func storedForm(of node: Node) throws -> Node {
        var stored = try NodeCodec.decode(NodeCodec.encode(node), id: node.id)
        try view.fillDerivedFields(&stored)
        return stored
    }

    /// Replaces a node's record, keeping the previous one as a version (see
    /// ``MemoryStore/Configuration/versionRetention``), and moves its index entries. Its kind,
    /// namespace and `createdAt` stay; `updatedAt` becomes the clock's time unless the caller
    /// changed it; the version goes up by one.
    ///
    /// - Throws: `missingRecord` for an unknown id, `wrongKind` for a change of kind,
    ///   `namespaceMismatch` for a change of namespace, and what ``insert(_:)`` throws for fields.
    @discardableResult
    public func update(_ node: Node) throws -> Node {
        guard let old = try view.storedNode(node.id) else { throw GraphError.missingNode(node.id) }
        guard old.kind == node.kind else { throw GraphError.wrongKind(node.id, is: old.kind, expected: "a \(node.kind)") }
        guard old.namespace == node.namespace else {
            throw GraphError.namespaceMismatch(node.id, is: old.namespace, expected: node.namespace)
        }
        var new = node
        new.createdAt = old.createdAt
        new.version = old.version + 1
        if new.updatedAt == old.updatedAt { new.updatedAt = max(now, old.updatedAt) }
        try NodeValidation.check(new)
        try checkReferences(of: new)
        try keepVersion(old)
        try transaction.insert(NodeCodec.encode(new), forKey: TupleKey(new.id).bytes, in: trees.nodes)
        let oldKeys = Set(IndexKey.keys(for: old))
        let newKeys = Set(IndexKey.keys(for: new))
        for key in oldKeys.subtracting(newKeys) { try transaction.remove(key, from: trees.index) }
        for key in newKeys.subtracting(oldKeys) { try transaction.insert([], forKey: key, in: trees.index) }
        return try storedForm(of: new)
    }

    /// Reads the node, lets `change` edit it and stores the result as ``update(_:)`` does.
    @discardableResult
    public func update(_ id: NodeID, _ change: (inout Node) throws -> Void) throws -> Node {
        guard var node = try view.storedNode(id) else { throw GraphError.missingNode(id) }
        try change(&node)
        guard node.id == id else { throw GraphError.invalidField("id", "an update cannot change the id") }
        return try update(node)
    }

    /// Deletes a node and everything derived from it, in this transaction: its edges (both
    /// directions), vectors, versions, access counts and index entries, and (recursively) the
    /// nodes that hang off it (a conversation's messages, a message's replies and memories, a
    /// subject's summaries, a custom node's owned nodes). Afterwards no query returns any of them.
    ///
    /// - Returns: how many nodes were deleted (1 plus the cascade).
    /// - Throws: `missingRecord` for an unknown id.
    @discardableResult
    public func delete(_ id: NodeID) throws -> Int {
        guard let root = try view.storedNode(id) else { throw GraphError.missingNode(id) }
        var deleted: Set<NodeID> = []
        var pending = [root]
        while let node = pending.popLast() {
            guard deleted.insert(node.id).inserted else { continue }
            let children = try view.indexedIDs(prefix: TupleKey(IndexKey.Tag.owner.rawValue, node.id))
            for child in children where !deleted.contains(child) {
                if let record = try view.storedNode(child) { pending.append(record) }
            }
            try erase(node)
        }
        return deleted.count
    }

    /// Deletes each node of `ids` as ``delete(_:)`` does; ids already deleted by an earlier one's
    /// cascade are skipped. Returns how many nodes were deleted in all.
    ///
    /// - Throws: `missingRecord` for an id that never existed (checked before anything is deleted).
    @discardableResult
    public func delete(contentsOf ids: some Sequence<NodeID>) throws -> Int {
        let ids = Array(ids)
        for id in ids where try !view.contains(id) { throw GraphError.missingNode(id) }
        var count = 0
        for id in ids where try view.contains(id) { count += try delete(id) }
        return count
    }

    /// Records that the application read `id` at `date`: the access count goes up by one and the
    /// last access becomes `date` (if later). Only a few bytes beside the record are rewritten.
    public func recordAccess(_ id: NodeID, at date: Date? = nil) throws {
        let date = date ?? now
        try Timestamp.validate(date, "date")
        guard try view.contains(id) else { throw GraphError.missingNode(id) }
        let old = try view.accessStats(id)
        let stats = AccessStats(count: (old?.count ?? 0) + 1, last: max(date, old?.last ?? date))
        try transaction.insert(stats.encode(), forKey: TupleKey(id).bytes, in: trees.access)
    }

    // MARK: Edges

    /// Stores an edge (replacing one with the same ends and type) with both adjacency entries.
    ///
    /// - Throws: `missingRecord` if either end does not exist (an edge never dangles),
    ///   `namespaceMismatch` if the ends are in different namespaces, `invalidField` for a bad field.
    public func addEdge(_ edge: Edge) throws {
        var edge = edge
        if edge.validFrom == nil { edge.validFrom = now }
        try NodeValidation.check(edge)
        guard let from = try view.nodeHeader(edge.from) else { throw GraphError.missingNode(edge.from) }
        guard let to = try view.nodeHeader(edge.to) else { throw GraphError.missingNode(edge.to) }
        guard from.namespace == to.namespace else {
            throw GraphError.namespaceMismatch(edge.to, is: to.namespace, expected: from.namespace)
        }
        let key = TupleKey(edge.from, edge.type.name, edge.to).bytes
        let wasCurrent = try view.edges.get(key).map { try EdgeCodec.isCurrent($0, context: "edge \(edge.from) -> \(edge.to)") } ?? false
        try transaction.insert(EdgeCodec.encode(edge), forKey: key, in: trees.edges)
        try transaction.insert(
            EdgeCodec.encodeValidity(edge), forKey: TupleKey(edge.to, edge.type.name, from.createdAt, edge.from).bytes,
            in: trees.incoming)
        let isCurrent = edge.validUntil == nil
        if isCurrent != wasCurrent { try adjustDegree(of: edge.to, type: edge.type, by: isCurrent ? 1 : -1) }
    }

    /// Removes the edge `from -type-> to` from every index. Returns whether it existed.
    @discardableResult
    public func removeEdge(from: NodeID, type: EdgeType, to: NodeID) throws -> Bool {
        guard let edge = try view.edge(from: from, type: type, to: to) else { return false }
        guard let source = try view.nodeHeader(from) else {
            throw GraphError.corruption("edge \(from) -\(type)-> \(to) starts at a node that does not exist")
        }
        try transaction.remove(TupleKey(from, type.name, to).bytes, from: trees.edges)
        try transaction.remove(TupleKey(to, type.name, source.createdAt, from).bytes, from: trees.incoming)
        if edge.validUntil == nil { try adjustDegree(of: to, type: type, by: -1) }
        return true
    }

    /// Marks the edge as no longer holding from `date` (it stays stored; queries at or after
    /// `date` skip it unless they ask for invalidated edges).
    ///
    /// - Throws: `missingRecord` if the edge does not exist; `invalidField` for a date before its
    ///   `validFrom`.
    public func invalidateEdge(from: NodeID, type: EdgeType, to: NodeID, at date: Date? = nil) throws {
        guard var edge = try view.edge(from: from, type: type, to: to) else {
            throw GraphError.missing("edge \(from) -\(type)-> \(to)")
        }
        let wasCurrent = edge.validUntil == nil
        let date = date ?? now
        try Timestamp.validate(date, "validUntil")
        if let validFrom = edge.validFrom, date < validFrom {
            throw GraphError.invalidField("validUntil", "\(date) is before the edge's validFrom \(validFrom)")
        }
        edge.validUntil = date
        guard let source = try view.nodeHeader(from) else {
            throw GraphError.corruption("edge \(from) -\(type)-> \(to) starts at a node that does not exist")
        }
        try transaction.insert(EdgeCodec.encode(edge), forKey: TupleKey(from, type.name, to).bytes, in: trees.edges)
        try transaction.insert(
            EdgeCodec.encodeValidity(edge), forKey: TupleKey(to, type.name, source.createdAt, from).bytes, in: trees.incoming)
        if wasCurrent { try adjustDegree(of: to, type: type, by: -1) }
    }

    // MARK: Embeddings

    /// Defines an embedding space, or confirms an identical definition.
    ///
    /// - Throws: `dimensionMismatch` if a space of that name exists with another model, dimension
    ///   or metric; `invalidField` for a bad name or dimension.
    public func define(_ space: EmbeddingSpace) throws {
        try NodeValidation.check(space)
        if let existing = try view.space(named: space.name) {
            guard existing == space else {
                throw StrataError(.dimensionMismatch, "space \(space.name) exists as \(existing.model), \(existing.dimension) dimensions, \(existing.metric); not \(space.model), \(space.dimension), \(space.metric)")
            }
            return
        }
        try transaction.insert(SpaceCodec.encode(space), forKey: TupleKey(space.name).bytes, in: trees.spaces)
    }

    /// Stores `vector` as `id`'s embedding in the space called `space` (replacing one there).
    ///
    /// - Throws: `missingRecord` for an unknown node or space, `dimensionMismatch` for a wrong
    ///   length, `nonFiniteVector` for NaN or an infinity.
    public func setVector(_ vector: [Float], for id: NodeID, in space: String) throws {
        guard let definition = try view.space(named: space) else { throw GraphError.missing("embedding space \(space)") }
        try NodeValidation.check(vector, for: definition)
        guard let node = try view.nodeHeader(id) else { throw GraphError.missingNode(id) }
        try transaction.insert(SpaceCodec.encode(vector: vector), forKey: TupleKey(id, space).bytes, in: trees.embeddings)
        try transaction.insert([], forKey: IndexKey.vector(namespace: node.namespace, space: space, id: id), in: trees.index)
    }

    /// Removes `id`'s embedding in `space`. Returns whether there was one.
    @discardableResult
    public func removeVector(for id: NodeID, in space: String) throws -> Bool {
        guard try view.embeddings.contains(TupleKey(id, space).bytes), let node = try view.nodeHeader(id) else { return false }
        try transaction.remove(TupleKey(id, space).bytes, from: trees.embeddings)
        try transaction.remove(IndexKey.vector(namespace: node.namespace, space: space, id: id), from: trees.index)
        return true
    }

    // MARK: Helpers

    /// Checks that every node `node` refers to exists (stored, or earlier in `batch`), in its
    /// namespace, of the right kind.
    private func checkReferences(of node: Node, batch: [NodeID: Node] = [:]) throws {
        func referenced(_ id: NodeID, _ field: String, kind: NodeKind?) throws {
            let target: (kindCode: UInt8, namespace: String)
            if let pending = batch[id] {
                target = (pending.kind.code, pending.namespace)
            } else if let header = try view.nodeHeader(id) {
                target = (header.kindCode, header.namespace)
            } else {
                throw StrataError(.missingRecord, "\(field) \(id) of node \(node.id) does not exist")
            }
            guard target.namespace == node.namespace else {
                throw GraphError.namespaceMismatch(id, is: target.namespace, expected: node.namespace)
            }
            if let kind, target.kindCode != kind.code {
                let actual = try batch[id]?.kind ?? view.storedNode(id)?.kind ?? kind
                throw GraphError.wrongKind(id, is: actual, expected: "a \(kind) (\(field))")
            }
        }
        switch node.content {
        case .message(let message):
            try referenced(message.conversation, "conversation", kind: .conversation)
            if let parent = message.parent {
                try referenced(parent, "parent", kind: .message)
                guard try (batch[parent] ?? view.storedNode(parent))?.message?.conversation == message.conversation else {
                    throw GraphError.invalidField("parent", "message \(parent) is in another conversation")
                }
            }
        case .summary(let summary): try referenced(summary.subject, "subject", kind: nil)
        case .memory(let memory): if let source = memory.source { try referenced(source, "source", kind: .message) }
        case .custom(let custom): if let owner = custom.owner { try referenced(owner, "owner", kind: nil) }
        case .conversation, .entity: break
        }
    }

    /// Stores `old` as an earlier version and drops versions beyond the retention.
    private func keepVersion(_ old: Node) throws {
        guard versionRetention > 0 else { return }
        try transaction.insert(NodeCodec.encode(old), forKey: TupleKey(old.id, old.version).bytes, in: trees.versions)
        let stored = try view.entries(of: view.versions, prefix: TupleKey.prefix(old.id))
        for entry in stored.dropLast(versionRetention) {
            try transaction.remove(entry.key, from: trees.versions)
        }
    }

    /// Moves the count of current (never invalidated) `type` edges ending at `id` by `delta` (the key goes when it reaches 0).
    private func adjustDegree(of id: NodeID, type: EdgeType, by delta: Int) throws {
        let key = TupleKey(id, type.name).bytes
        let count = try view.inDegree(of: id, type: type) + delta
        guard count >= 0 else { throw GraphError.corruption("the degree of \(id) for \(type) would go below 0") }
        if count == 0 {
            try transaction.remove(key, from: trees.degrees)
        } else {
            var writer = RecordWriter(capacity: 4)
            writer.varint(UInt64(count))
            try transaction.insert(writer.bytes, forKey: key, in: trees.degrees)
        }
    }

    /// Removes one node's record and everything derived from it (not the nodes hanging off it).
    private func erase(_ node: Node) throws {
        let id = node.id
        for edge in try view.entries(of: view.edges, prefix: TupleKey.prefix(id)) {
            let key = try TupleKey(decoding: edge.key)
            let type: String = try key.value(at: 1)
            guard let to = NodeID(tupleElement: key.elements[2]) else { throw GraphError.corruption("edge key \(key)") }
            try transaction.remove(edge.key, from: trees.edges)
            try transaction.remove(TupleKey(to, type, node.createdAt, id).bytes, from: trees.incoming)
            if to != id, try EdgeCodec.isCurrent(edge.value, context: "edge \(key)") {
                try adjustDegree(of: to, type: EdgeType(type), by: -1)
            }
        }
        for entry in try view.entries(of: view.incoming, prefix: TupleKey.prefix(id)) {
            let key = try TupleKey(decoding: entry.key)
            let type: String = try key.value(at: 1)
            guard let from = NodeID(tupleElement: key.elements[3]) else { throw GraphError.corruption("incoming key \(key)") }
            try transaction.remove(entry.key, from: trees.incoming)
            try transaction.remove(TupleKey(from, type, id).bytes, from: trees.edges)
        }
        for space in try view.vectorSpaces(of: id) {
            try transaction.remove(TupleKey(id, space).bytes, from: trees.embeddings)
            try transaction.remove(IndexKey.vector(namespace: node.namespace, space: space, id: id), from: trees.index)
        }
        for entry in try view.entries(of: view.versions, prefix: TupleKey.prefix(id)) {
            try transaction.remove(entry.key, from: trees.versions)
        }
        for entry in try view.entries(of: view.degrees, prefix: TupleKey.prefix(id)) {
            try transaction.remove(entry.key, from: trees.degrees)
        }
        try transaction.remove(TupleKey(id).bytes, from: trees.access)
        for key in IndexKey.keys(for: node) { try transaction.remove(key, from: trees.index) }
        try transaction.remove(TupleKey(id).bytes, from: trees.nodes)
    }
}
