import StrataEngine
import StrataGraph

extension TieredMemoryStore {
    /// The crossing edges (the crossing tree of `snapshot`, the active database's) with an end in
    /// `ids`, leaving out those with an end the catalog places in `active` that active no longer
    /// holds: forgetting a record in active deletes its edges there, not its crossing ones, so a
    /// crossing edge to a forgotten record reads as gone (and is never placed by a later move).
    func liveCrossingEdges(touching ids: Set<NodeID>, in snapshot: Snapshot) throws -> [Edge] {
        let edges = try journal.edges(touching: ids, in: snapshot[journal.crossing])
        guard !edges.isEmpty else { return edges }
        let reader = try active.reader(includingExpired: true)
        return try edges.filter { edge in
            for end in [edge.from, edge.to] where try catalog.tier(of: end) == .active {
                if try reader.node(end) == nil { return false }
            }
            return true
        }
    }
}
