#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// The graph's trees as one kind of readable view: a snapshot (``GraphReader``) or a transaction
/// with its own writes (``GraphTransaction``). Every read the layer does is written once, here.
///
/// A tree is resolved from the source when a read asks for it, not when the view is made: a
/// query pays only for the trees it reads (a `get` reads one or two of the ten), and a copy of
/// the view is two references.
struct GraphView<Source: GraphTreeSource> {
    typealias T = Source.Tree
    let source: Source
    let trees: GraphTrees

    var nodes: T { get throws { try source.tree(trees.nodes) } }
    var versions: T { get throws { try source.tree(trees.versions) } }
    var edges: T { get throws { try source.tree(trees.edges) } }
    var incoming: T { get throws { try source.tree(trees.incoming) } }
    var index: T { get throws { try source.tree(trees.index) } }
    var embeddings: T { get throws { try source.tree(trees.embeddings) } }
    var spaces: T { get throws { try source.tree(trees.spaces) } }
    var access: T { get throws { try source.tree(trees.access) } }
    var degrees: T { get throws { try source.tree(trees.degrees) } }

    // MARK: Records

    /// The node's stored record, with its derived fields (access, mention count) filled in.
    func node(_ id: NodeID) throws -> Node? {
        guard var node = try storedNode(id) else { return nil }
        try fillDerivedFields(&node)
        return node
    }

    /// Whether a node with `id` is stored (a key lookup; nothing is decoded).
    func contains(_ id: NodeID) throws -> Bool {
        try nodes.contains(GraphKey.id(id))
    }

    /// The node's record as stored, without derived fields.
    func storedNode(_ id: NodeID) throws -> Node? {
        guard let bytes = try nodes.get(GraphKey.id(id)) else { return nil }
        return try NodeCodec.decode(bytes, id: id)
    }

    /// The start of the node's record (kind, namespace, creation time), or nil.
    func nodeHeader(_ id: NodeID) throws -> NodeCodec.Header? {
        guard let bytes = try nodes.get(GraphKey.id(id)) else { return nil }
        return try NodeCodec.header(bytes, id: id)
    }

    /// When the node expires (nil: never), or nil for an unknown node, from its record's header.
    func expiry(of id: NodeID) throws -> Date?? {
        guard let bytes = try nodes.get(GraphKey.id(id)) else { return nil }
        return .some(try NodeCodec.header(bytes, id: id).expiresAt)
    }

    func fillDerivedFields(_ node: inout Node) throws {
        switch node.content {
        case .memory(var memory):
            if let stats = try accessStats(node.id) {
                memory.accessCount = stats.count
                memory.lastAccess = stats.last
            }
            node.content = .memory(memory)
        case .entity(var entity):
            entity.mentionCount = try inDegree(of: node.id, type: .mentions)
            node.content = .entity(entity)
        default:
            break
        }
    }

    /// How many edges of `type` end at `id` (a counter kept with the edges).
    func inDegree(of id: NodeID, type: EdgeType) throws -> Int {
        guard let bytes = try degrees.get(GraphKey.id(id, type.name)) else { return 0 }
        var reader = RecordReader(bytes, context: "degree of \(id)")
        let count = try reader.varint()
        try reader.finish()
        guard count <= UInt64(Int.max) else { throw reader.failure("degree") }
        return Int(count)
    }

    func accessStats(_ id: NodeID) throws -> AccessStats? {
        guard let bytes = try access.get(GraphKey.id(id)) else { return nil }
        return try AccessStats.decode(bytes, id: id)
    }

    /// The node's earlier records, oldest first.
    func earlierVersions(of id: NodeID) throws -> [Node] {
        var cursor = try versions.scan(prefix: TupleKey.prefix(id))
        var result: [Node] = []
        while let entry = try cursor.next() {
            result.append(try NodeCodec.decode(entry.value, id: id))
        }
        return result
    }

    // MARK: Edges

    func edge(from: NodeID, type: EdgeType, to: NodeID) throws -> Edge? {
        guard let bytes = try edges.get(TupleKey(from, type.name, to).bytes) else { return nil }
        return try EdgeCodec.decode(bytes, from: from, type: type, to: to)
    }

    /// The edges from `id` (of `type`, or every type), ordered by type, then target id.
    func outgoingEdges(of id: NodeID, type: EdgeType?) throws -> [Edge] {
        let prefix = type.map { TupleKey.prefix(id, $0.name) } ?? TupleKey.prefix(id)
        var cursor = try edges.scan(prefix: prefix)
        var result: [Edge] = []
        while let entry = try cursor.next() {
            let key = try TupleKey(decoding: entry.key)
            guard key.count == 3, let edgeType: String = try? key.value(at: 1), let to = NodeID(tupleElement: key.elements[2])
            else { throw GraphError.corruption("edge key \(key) is not (from, type, to)") }
            result.append(try EdgeCodec.decode(entry.value, from: id, type: EdgeType(edgeType), to: to))
        }
        return result
    }

    /// The targets of the edges from `id` (of `type`, or every type) that hold at `date` (all of
    /// them when `date` is nil), ordered by type, then target id, without decoding whole edges.
    func outgoingTargets(of id: NodeID, type: EdgeType?, validAt date: Date?) throws -> [NodeID] {
        let prefix = type.map { GraphKey.id(id, $0.name) } ?? GraphKey.id(id)
        var cursor = try edges.scan(prefix: prefix)
        var result: [NodeID] = []
        // Entries are lent, not copied; only an edge's value is copied, to check its validity.
        try cursor.forEachBorrowed { rawKey, value in
            let to: NodeID
            if type != nil {
                to = try KeyIDReader.id(inBorrowed: rawKey, at: prefix.count)
            } else {
                let key = try TupleKey(decoding: rawKey)
                guard key.count == 3, let decoded = NodeID(tupleElement: key.elements[2]) else {
                    throw GraphError.corruption("edge key \(key) is not (from, type, to)")
                }
                to = decoded
            }
            if let date, try !EdgeCodec.isValid(Array(value), at: date, context: "edge \(id) -> \(to)") { return true }
            result.append(to)
            return true
        }
        return result
    }

    /// The incoming adjacency entries of `id` (of `type`, or every type): each source and its
    /// type, ordered by type, then the source's creation time (`reverse`: newest first).
    func incomingEntries(of id: NodeID, type: EdgeType?, reverse: Bool = false, limit: Int = .max) throws
        -> [(from: NodeID, type: EdgeType)]
    {
        let prefix = type.map { TupleKey.prefix(id, $0.name) } ?? TupleKey.prefix(id)
        var cursor = try incoming.scan(prefix: prefix, reverse: reverse)
        var result: [(from: NodeID, type: EdgeType)] = []
        while result.count < limit, let entry = try cursor.next() {
            let key = try TupleKey(decoding: entry.key)
            guard key.count == 4, let edgeType: String = try? key.value(at: 1), let from = NodeID(tupleElement: key.elements[3])
            else { throw GraphError.corruption("incoming key \(key) is not (to, type, time, from)") }
            result.append((from, EdgeType(edgeType)))
        }
        return result
    }

    // MARK: Embeddings

    func space(named name: String) throws -> EmbeddingSpace? {
        guard let bytes = try spaces.get(TupleKey(name).bytes) else { return nil }
        return try SpaceCodec.decode(bytes, name: name)
    }

    func vector(of id: NodeID, in space: EmbeddingSpace) throws -> [Float]? {
        try embeddings.withValue(forKey: TupleKey(id, space.name).bytes) { raw in
            guard let raw else { return nil }
            return try SpaceCodec.decode(vector: raw, dimension: space.dimension, context: "vector of \(id) in \(space.name)")
        }
    }

    /// The spaces `id` has a vector in.
    func vectorSpaces(of id: NodeID) throws -> [String] {
        var cursor = try embeddings.scan(prefix: TupleKey.prefix(id))
        var names: [String] = []
        while let entry = try cursor.next() {
            names.append(try TupleKey(decoding: entry.key).value(at: 1))
        }
        return names
    }

    // MARK: Index scans

    /// Every entry of `tree` under `prefix`, in key order (read before the caller edits them).
    func entries(of tree: T, prefix: [UInt8]) throws -> [Entry] {
        var cursor = try tree.scan(prefix: prefix)
        return try cursor.collect()
    }

    /// The ids of the index entries under `prefix` whose key is between `lower` and `upper`
    /// elements appended to it, in key order (or reversed), at most `limit`. A date bound past
    /// the dates records hold is clamped (``Timestamp/keyBound(_:_:)``), never a trap.
    func indexedIDs(
        prefix: TupleKey, from lower: (any TupleKeyElement)? = nil, to upper: (any TupleKeyElement)? = nil,
        reverse: Bool = false, limit: Int = .max, where include: (NodeID) throws -> Bool = { _ in true }
    ) throws -> [NodeID] {
        var lower = lower
        var upper = upper
        if let date = lower as? Date { lower = try Timestamp.keyBound(date, "range") }
        if let date = upper as? Date { upper = try Timestamp.keyBound(date, "range") }
        let low: KeyBound = lower.map { .included(prefix.appending($0).bytes) } ?? .included(prefix.bytes)
        let high: KeyBound
        if let upper {
            high = .excluded(prefix.appending(upper).bytes)
        } else {
            high = .after(prefix: prefix.bytes)
        }
        var cursor = try index.range(low, high, reverse: reverse)
        var ids: [NodeID] = []
        // With the whole group prefix given, the id sits at a known offset; else decode the key.
        let tag = prefix.elements.first.flatMap(UInt8.init(tupleElement:)).flatMap(IndexKey.Tag.init(rawValue:))
        let idOffset = tag.flatMap { tag in
            tag.prefixElements == prefix.count
                ? prefix.bytes.count + (tag.hasOrderedElement ? KeyIDReader.orderedElementWidth : 0) : nil
        }
        guard limit > 0 else { return ids }
        // Keys are lent, not copied: the id is read from the borrowed bytes.
        try cursor.forEachBorrowed { key, _ in
            let id = try idOffset.map { try KeyIDReader.id(inBorrowed: key, at: $0) } ?? IndexKey.id(in: Array(key))
            if try include(id) { ids.append(id) }
            return ids.count < limit
        }
        return ids
    }

    /// The ids of nodes expired at `now` (by their records), in expiry order, at most `limit`.
    func expiredIDs(at now: Date, limit: Int) throws -> [NodeID] {
        let prefix = TupleKey(IndexKey.Tag.expiry.rawValue)
        var cursor = try index.range(.included(prefix.bytes), .after(prefix: prefix.bytes), reverse: false)
        var ids: [NodeID] = []
        // The key holds the expiry rounded to nanoseconds: scan a microsecond past `now` and let
        // the record decide.
        let horizon = now.addingTimeInterval(1e-6)
        while ids.count < limit, let entry = try cursor.next() {
            let key = try TupleKey(decoding: entry.key)
            let expiry: Date = try key.value(at: 1)
            if expiry > horizon { break }
            let id = try IndexKey.id(in: entry.key)
            if let node = try storedNode(id), node.isExpired(at: now) { ids.append(id) }
        }
        return ids
    }
}

extension GraphView: Sendable where Source: Sendable {}
