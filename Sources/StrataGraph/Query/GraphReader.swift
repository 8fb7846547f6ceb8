#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// A consistent read view of the graph at one commit (an engine snapshot), for multi-step queries
/// that must agree with each other: ``MemoryStore/reader(at:includingExpired:)``.
///
/// Every query hides nodes that have expired at the reader's time ``now`` (and edges to or from
/// them), whether or not ``MemoryStore/expire(now:)`` has swept them yet, unless the reader was
/// made with `includingExpired`. Edges are filtered by their validity at ``now``.
public struct GraphReader: Sendable {
    /// The snapshot's trees, each resolved when a query first reads it.
    let view: GraphView<Snapshot>
    /// The time the reader's queries run at (expiry, edge validity).
    public let now: Date
    /// Whether expired nodes are returned too.
    public let includesExpired: Bool
    /// Whether any node has expired at ``now`` (when none has, no query checks expiry per node).
    let anyExpired: Bool

    /// A reader on `snapshot`; `anyExpired` says whether a node has expired at `now` (ignored
    /// with `includingExpired`).
    init(snapshot: Snapshot, trees: GraphTrees, now: Date, includingExpired: Bool, anyExpired: Bool) {
        self.view = trees.view(snapshot)
        self.now = now
        self.includesExpired = includingExpired
        self.anyExpired = includingExpired ? false : anyExpired
    }

    /// The snapshot the reader reads.
    var snapshot: Snapshot { view.source }

    /// The engine commit the reader sees.
    public var sequence: UInt64 { snapshot.sequence }

    // MARK: Nodes

    /// The node with `id`, or nil if it does not exist (or has expired).
    ///
    /// - Throws: `namespaceMismatch` if `namespace` is given and the node lives in another.
    public func node(_ id: NodeID, in namespace: String? = nil) throws -> Node? {
        guard let record = try view.node(id), isVisible(record) else { return nil }
        let node = try withVisibleMentions(record)
        if let namespace, node.namespace != namespace {
            throw GraphError.namespaceMismatch(id, is: node.namespace, expected: namespace)
        }
        return node
    }

    /// The nodes with `ids` that exist and are visible, in the order given.
    public func nodes(_ ids: some Sequence<NodeID>) throws -> [Node] {
        try ids.compactMap { try node($0) }
    }

    /// Every retained version of the node, oldest first, ending with the current record. Empty
    /// for an unknown (or expired) id.
    public func versions(of id: NodeID) throws -> [Node] {
        guard let current = try node(id) else { return [] }
        return try view.earlierVersions(of: id) + [current]
    }

    /// How often and when the application last recorded reading `id`, if ever.
    public func accessStats(of id: NodeID) throws -> AccessStats? {
        guard try node(id) != nil else { return nil }
        return try view.accessStats(id)
    }

    /// Whether `node` is visible at ``now``.
    func isVisible(_ node: Node) -> Bool {
        !anyExpired || !node.isExpired(at: now)
    }

    /// Whether the node `id` exists and is visible (a record read only when something expired).
    func isVisible(_ id: NodeID) throws -> Bool {
        guard anyExpired else { return true }
        guard let expiry = try view.expiry(of: id) else { return false }
        return expiry.map { $0 > now } ?? true
    }

    /// The records of `ids`, dropping any that is not visible.
    func records(_ ids: [NodeID]) throws -> [Node] {
        try ids.compactMap { id in
            guard let node = try view.node(id), isVisible(node) else { return nil }
            return try withVisibleMentions(node)
        }
    }

    /// `node` as queries return it: while expired nodes await the sweep, an entity's mention
    /// count counts only the mentions ``mentionIDs(of:limit:)`` returns (from visible nodes).
    func withVisibleMentions(_ node: Node) throws -> Node {
        guard anyExpired, case .entity(var entity) = node.content else { return node }
        var node = node
        entity.mentionCount = try mentionIDs(of: node.id).count
        node.content = .entity(entity)
        return node
    }
}
