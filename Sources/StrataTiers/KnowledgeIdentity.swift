#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

/// Which knowledge database a source was enriched into: a random identity kept in the
/// knowledge database's active tier (`coord.identity`: `("id")` → UUID text) and copied into
/// the source's `enrich.meta` (`("knowledge")`). A knowledge directory that was deleted,
/// replaced or restored from elsewhere has another identity, and needs a rebuild.
enum KnowledgeIdentity {
    static let owner = TreeOwner("strata.coordinator")
    private static let key = TupleKey("id").bytes

    /// The knowledge database's identity (made on first open) paired with the one `queue`
    /// records (recorded if none): `available` when they agree, `needsRebuild` otherwise.
    static func pair(_ knowledge: TieredMemoryStore, with queue: EnrichmentQueue) throws -> DatabaseHealth {
        let identity = try identity(of: knowledge)
        guard let expected = try queue.meta.get(EnrichmentQueue.knowledgeKey) else {
            try record(identity, in: queue)
            return .available
        }
        let recorded = try TupleKey(decoding: expected).value(at: 0, as: String.self)
        if recorded == identity { return .available }
        return .needsRebuild(
            "the knowledge database (\(identity)) is not the one the conversations were enriched into (\(recorded)): "
                + "it was deleted or replaced; rebuildKnowledge() replays enrichment")
    }

    /// The identity of `knowledge`, made and stored durably if it has none.
    static func identity(of knowledge: TieredMemoryStore) throws -> String {
        let tree = try knowledge.active.database.ownedTree("coord.identity", owner: owner)
        if let stored = try tree.get(key) { return try TupleKey(decoding: stored).value(at: 0, as: String.self) }
        let identity = UUID().uuidString
        _ = try tree.insert(TupleKey(identity).bytes, forKey: key, durability: .synced)
        return identity
    }

    /// Records in the source that it is enriched into `identity`.
    static func record(_ identity: String, in queue: EnrichmentQueue) throws {
        _ = try queue.meta.insert(TupleKey(identity).bytes, forKey: EnrichmentQueue.knowledgeKey, durability: .synced)
    }
}
