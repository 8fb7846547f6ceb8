#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

extension GraphReader {
    /// The messages of `conversation` in time order (`reverse`: newest first), those created in
    /// `range` if given, at most `limit`.
    ///
    /// - Throws: `missingRecord` for an unknown conversation, `wrongKind` for another kind of node,
    ///   `namespaceMismatch` if `namespace` is given and differs.
    public func messages(
        in conversation: NodeID, namespace: String? = nil, range: Range<Date>? = nil, limit: Int = .max,
        reverse: Bool = false
    ) throws -> [Node] {
        try records(messageIDs(in: conversation, namespace: namespace, range: range, limit: limit, reverse: reverse))
    }

    /// The ids ``messages(in:namespace:range:limit:reverse:)`` returns, without reading the
    /// messages' records unless something has expired.
    public func messageIDs(
        in conversation: NodeID, namespace: String? = nil, range: Range<Date>? = nil, limit: Int = .max,
        reverse: Bool = false
    ) throws -> [NodeID] {
        guard let record = try node(conversation, in: namespace) else { throw GraphError.missingNode(conversation) }
        guard record.kind == .conversation else { throw GraphError.wrongKind(conversation, is: record.kind, expected: "a conversation") }
        try checkLimit(limit)
        return try view.indexedIDs(
            prefix: TupleKey(IndexKey.Tag.conversation.rawValue, conversation), from: range?.lowerBound,
            to: range?.upperBound, reverse: reverse, limit: limit, where: isVisible)
    }

    /// The nodes of `namespace` (of `kind`, if given) created in `range` (or ever), in time
    /// order (`reverse`: newest first), at most `limit`.
    public func nodes(
        in namespace: String, kind: NodeKind? = nil, createdIn range: Range<Date>? = nil, limit: Int = .max,
        reverse: Bool = false
    ) throws -> [Node] {
        try records(nodeIDs(in: namespace, kind: kind, createdIn: range, limit: limit, reverse: reverse))
    }

    /// The ids ``nodes(in:kind:createdIn:limit:reverse:)`` returns, without reading the records
    /// unless something has expired.
    public func nodeIDs(
        in namespace: String, kind: NodeKind? = nil, createdIn range: Range<Date>? = nil, limit: Int = .max,
        reverse: Bool = false
    ) throws -> [NodeID] {
        try checkLimit(limit)
        let prefix = kind.map { TupleKey(IndexKey.Tag.kind.rawValue, namespace, $0.name) }
            ?? TupleKey(IndexKey.Tag.time.rawValue, namespace)
        return try view.indexedIDs(
            prefix: prefix, from: range?.lowerBound, to: range?.upperBound, reverse: reverse, limit: limit,
            where: isVisible)
    }

    /// The nodes of `namespace` (of `kind`, if given) created before `date`, oldest first: what
    /// an age-based lifecycle move takes.
    public func nodes(in namespace: String, kind: NodeKind? = nil, olderThan date: Date, limit: Int = .max) throws -> [Node] {
        try records(nodeIDs(in: namespace, kind: kind, createdIn: Date.distantPast..<date, limit: limit))
    }

    /// The memories of `namespace` (of `kind`, or every kind) with importance ≥ `minImportance`,
    /// most important first (ties by id), at most `limit`.
    public func memories(
        in namespace: String, kind: Memory.Kind? = nil, minImportance: Double = 0, limit: Int = .max
    ) throws -> [Node] {
        try checkLimit(limit)
        guard minImportance.isFinite else { throw GraphError.invalidField("minImportance", "must be a finite number") }
        var hits: [(importance: Double, node: Node)] = []
        // The index orders -0 before +0 (IEEE total order) and an importance of -0 is valid:
        // a minimum of zero starts at -0 so that it is not skipped.
        let lowest = minImportance == 0 ? -0.0 : minImportance
        for memoryKind in kind.map({ [$0] }) ?? Memory.Kind.allCases {
            let prefix = TupleKey(IndexKey.Tag.importance.rawValue, namespace, memoryKind.rawValue)
            var cursor = try view.index.range(
                .included(prefix.appending(lowest).bytes), .after(prefix: prefix.bytes), reverse: true)
            var taken = 0
            var lastImportance = Double.infinity
            // Newest-first by importance; past `limit`, keep the ties of the last one taken so the
            // merge below can order them by id.
            while let entry = try cursor.next() {
                let key = try TupleKey(decoding: entry.key)
                let importance: Double = try key.value(at: 3)
                if taken >= limit, importance < lastImportance { break }
                let id = try IndexKey.id(in: entry.key)
                guard let node = try view.node(id), isVisible(node) else { continue }
                hits.append((importance, node))
                taken += 1
                lastImportance = importance
            }
        }
        hits.sort { $0.importance != $1.importance ? $0.importance > $1.importance : $0.node.id < $1.node.id }
        return hits.prefix(limit).map(\.node)
    }

    /// The entities of `namespace` whose name or an alias is `name`, compared case-insensitively.
    public func entities(named name: String, in namespace: String) throws -> [Node] {
        let prefix = TupleKey(IndexKey.Tag.name.rawValue, namespace, IndexKey.foldedName(name))
        return try records(view.indexedIDs(prefix: prefix, where: isVisible))
    }

    /// The nodes that hang off `id` (deleted with it): a conversation's messages, a message's
    /// replies and memories, a subject's summaries.
    public func dependents(of id: NodeID) throws -> [Node] {
        try records(view.indexedIDs(prefix: TupleKey(IndexKey.Tag.owner.rawValue, id), where: isVisible))
    }

    /// How many nodes `namespace` holds (of `kind`, if given), counting expired ones only if the
    /// reader includes them.
    public func count(in namespace: String, kind: NodeKind? = nil) throws -> Int {
        let prefix = kind.map { TupleKey(IndexKey.Tag.kind.rawValue, namespace, $0.name) }
            ?? TupleKey(IndexKey.Tag.time.rawValue, namespace)
        guard anyExpired else { return try view.index.count(prefix: prefix.bytes) }
        return try view.indexedIDs(prefix: prefix, where: isVisible).count
    }

    func checkLimit(_ limit: Int) throws {
        guard limit >= 0 else { throw GraphError.invalidField("limit", "\(limit) is negative") }
    }
}
