import StrataEngine
import StrataGraph

/// What ``DatabaseCoordinator/migrate(maxBatches:)`` did to each database.
public struct CoordinatorMigration: Hashable, Sendable {
    /// The conversations database's moves.
    public var conversations: MigrationProgress
    /// The knowledge database's moves (nil when it is unavailable).
    public var knowledge: MigrationProgress?
}

extension DatabaseCoordinator {
    /// Moves what is due in both databases (``TieredMemoryStore/migrate(maxBatches:progress:)``,
    /// at most `maxBatches` each): knowledge ages like conversations, by the same
    /// ``Configuration/tiers`` policies (a message's reference node and what a handler hangs
    /// on it carry the message's creation time). A knowledge failure is reported in
    /// ``statistics()`` and leaves `knowledge` nil; conversations still move.
    @discardableResult
    public func migrate(maxBatches: Int = .max) throws -> CoordinatorMigration {
        let conversationMoves = try conversations.migrate(maxBatches: maxBatches)
        let store = knowledgeState.withLock { $0.store }
        var knowledgeMoves: MigrationProgress?
        if let store {
            do { knowledgeMoves = try store.migrate(maxBatches: maxBatches) } catch {
                if CoordinatorError.isStorageFailure(error) { knowledgeFailed(error) }
            }
        }
        return CoordinatorMigration(conversations: conversationMoves, knowledge: knowledgeMoves)
    }

    /// Brings the reference nodes (the caller holds knowledge's moves: ``TieredMemoryStore/withMovesPaused(_:)``) of `messages` that knowledge keeps outside its active tier back
    /// to active (with what hangs off them), so that a batch's handlers write beside them.
    func promoteReferences(_ messages: [NodeID], in knowledge: TieredMemoryStore) throws {
        var byTier: [Tier: [NodeID]] = [:]
        for id in Set(messages) {
            let tier = try knowledge.tier(of: id)
            if tier != .active { byTier[tier, default: []].append(id) }
        }
        for (_, ids) in byTier.sorted(by: { $0.key < $1.key }) {
            let present = try ids.sorted().filter { try knowledge.node($0) != nil }
            if !present.isEmpty { _ = try knowledge.moveHoldingLock(present, to: .active) }
        }
    }

    /// After a batch: a node a handler inserted in knowledge's active tier although the catalog
    /// places that id in another tier (an entity mentioned again after it was archived) is a
    /// shadow no read sees. Each one linked from the batch's reference nodes is folded into the
    /// original: the shadow's edges are kept, the shadow evicted, the original promoted to
    /// active and the edges added again (across tiers if need be).
    func foldShadows(linkedFrom messages: [NodeID], in knowledge: TieredMemoryStore) throws {
        let reader = try knowledge.active.reader(includingExpired: true)
        var shadows: Set<NodeID> = []
        for id in Set(messages) where try knowledge.tier(of: id) == .active {
            for edge in try reader.edges(of: id, direction: .both) {
                let other = edge.from == id ? edge.to : edge.from
                if try knowledge.tier(of: other) != .active, try reader.node(other) != nil { shadows.insert(other) }
            }
        }
        for shadow in shadows.sorted() {
            let edges: [Edge] = try knowledge.active.write { graph in
                guard let export = try graph.export(shadow) else { return [] }
                let edges = try export.allEdges()
                try graph.evict(shadow)
                return edges
            }
            _ = try knowledge.moveHoldingLock([shadow], to: .active)
            for edge in edges { try knowledge.addEdgeHoldingLock(edge) }
        }
    }
}
