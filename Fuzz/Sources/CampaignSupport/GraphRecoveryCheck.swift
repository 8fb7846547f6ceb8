#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
@_spi(Testing) import StrataGraph
import StrataTestSupport

/// The checks made after every crash, kill or fault of a graph workload: the engine's
/// ``RecoveryCheck`` on the image (read-only open, the recovered state is the state after some
/// commit k at or after the last acknowledged durable one, so no transaction is partial, a
/// second crash, writes after), then, on a copy of the same image, the graph's own: the store
/// opens over the recovered database and leaves commit k as it was (or, if k is inside an index
/// rebuild, finishes it, leaving exactly the commit before the rebuild began), `verify()` finds records and indexes in exact agreement,
/// `statistics()` counts what the model holds, vector searches in every (namespace, space), plain
/// and filtered, give the brute-force answer over the model's vectors (``GraphVectorCheck``),
/// it takes a durable multi-node transaction and an expiry sweep, and after a clean close and
/// reopen that transaction is there and `verify()` still holds.
public enum GraphRecoveryCheck {
    /// Returns nil, or what went wrong.
    public static func check(
        image: MemoryFileSystem, path: String, history: ModelHistory, segmentGCRatio: Double,
        using rng: inout SeededRandom, readOnly: Bool = true
    ) -> String? {
        do {
            try checkGraph(image: image, path: path, history: history, segmentGCRatio: segmentGCRatio)
        } catch {
            return "\(error)"
        }
        return RecoveryCheck.check(
            image: image, path: path, history: history, segmentGCRatio: segmentGCRatio, using: &rng, readOnly: readOnly)
    }

    static func checkGraph(image: MemoryFileSystem, path: String, history: ModelHistory, segmentGCRatio: Double) throws {
        let fileSystem = CrashSimulatingFileSystem(startingFrom: image)
        let configuration = WorkloadRunner.configuration(fileSystem: fileSystem, segmentGCRatio: segmentGCRatio)
        let clock = GraphClock()
        clock.set(step: 1_000_000)
        let store: MemoryStore
        let k: Int
        do {
            let db: Database
            do { db = try Database.open(at: path, configuration: configuration) } catch {
                throw CampaignFailure("graph check: open after the crash failed: \(error)")
            }
            defer { try? db.close() }
            k = try RecoveryCheck.matchState(db, history, what: "graph recovery").0
            do { store = try MemoryStore(database: db, configuration: GraphWorkloadRunner.storeConfiguration(clock: clock)) } catch {
                throw CampaignFailure("graph check: the store does not open over the database recovered at commit \(k): \(error)")
            }
            if let (j, expected) = stateAfterOpen(history, k) {
                let found = try RecoveryCheck.readState(db)
                guard found == expected else {
                    throw CampaignFailure(
                        "graph check: opening the store over commit \(k) "
                            + (j == k ? "changed it" : "(inside a rebuild) did not finish the rebuild as commit \(j), its start, stood")
                            + ": \(ModelHistory.difference(found, expected))")
                }
            }
            try sound(store, "after recovering commit \(k)")
            // Statistics and vector searches against the model of the state the open left.
            let model = try RecoveredGraph(state: stateAfterOpen(history, k)?.1 ?? history.states[k], store: store)
            try model.checkStatistics(of: store, "after recovering commit \(k)")
            var random = SeededRandom(seed: UInt64(k) &* 0x9E37_79B9 &+ UInt64(history.states.count))
            let latest = model.nodes.values.map(\.createdAt).max() ?? clock.now
            let now = latest.addingTimeInterval(Double(Int.random(in: 0...400, using: &random)))
            do {
                try GraphVectorCheck.campaigns.check(store, model: model, now: now, using: &random)
            } catch let failure as CampaignFailure {
                throw CampaignFailure("graph check after recovering commit \(k): \(failure)")
            }
            // It takes a transaction of every kind of record, and a sweep.
            do {
                try store.write(durability: .synced) { g in
                    for space in GraphWorkload.spaces { try g.define(space) }
                    try GraphOperations.apply(.conversation("after"), to: g)
                    try GraphOperations.apply(.message("after.m0", conversation: "after", parent: nil, bytes: 300), to: g)
                    try GraphOperations.apply(.entity("after.e"), to: g)
                    try GraphOperations.apply(.edge(from: "after.m0", to: "after.e", relates: false), to: g)
                    try GraphOperations.apply(.memory("after.mem", source: "after.m0", expiresIn: nil), to: g)
                    try GraphOperations.apply(.vector("after.m0", space: 0, seed: 7), to: g)
                    try GraphOperations.apply(.delete("c0"), to: g)
                }
                _ = try store.expire()
            } catch {
                throw CampaignFailure("graph check: writing after recovering commit \(k) failed: \(error)")
            }
            try sound(store, "after writing over recovered commit \(k)")
            do { try db.close() } catch { throw CampaignFailure("graph check: close after writes failed: \(error)") }
        }
        do {
            let again = try Database.open(at: path, configuration: configuration)
            defer { try? again.close() }
            let reopened = try MemoryStore(database: again, configuration: GraphWorkloadRunner.storeConfiguration(clock: clock))
            try sound(reopened, "after writing over recovered commit \(k), closing and reopening")
            let reader = try reopened.reader()
            guard try reader.node("after.mem") != nil, try reader.entities(mentionedBy: "after.m0").map(\.id) == ["after.e"],
                try reader.vector(of: "after.m0", in: GraphWorkload.space) != nil, try reader.node("c0") == nil
            else {
                throw CampaignFailure("graph check: the transaction written after recovering commit \(k) is not all there after a reopen")
            }
        } catch let failure as CampaignFailure {
            throw failure
        } catch {
            throw CampaignFailure("graph check: reopening after writes over recovered commit \(k) failed: \(error)")
        }
    }

    /// What a writable store's open must leave of recovered commit `k` (once the store was
    /// created): commit `k` itself, or, if `k` is inside a rebuild (its progress is recorded in
    /// `graph.meta`), the last commit `j` before the rebuild began, since the open finishes the
    /// rebuild and a completed rebuild regenerates exactly the derived entries it cleared.
    public static func stateAfterOpen(_ history: ModelHistory, _ k: Int) -> (Int, ModelState)? {
        guard k >= GraphWorkloadRunner.storeCreationStates else { return nil }
        func inRebuild(_ state: ModelState) -> Bool { state["graph.meta"]?[MemoryStore.rebuildProgressKey] != nil }
        var j = k
        while j > 0, inRebuild(history.states[j]) { j -= 1 }
        return (j, history.states[j])
    }

    /// Throws unless `store.verify()` finds records and indexes in exact agreement.
    static func sound(_ store: MemoryStore, _ when: String) throws {
        let verification: GraphVerification
        do { verification = try store.verify() } catch { throw CampaignFailure("graph verify \(when) threw: \(error)") }
        guard verification.isSound else {
            throw CampaignFailure(
                "graph verify \(when): \(verification.problems.count) problems, first: \(verification.problems.prefix(5))")
        }
    }
}
