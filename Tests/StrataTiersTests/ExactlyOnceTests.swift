#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Testing

@Suite("Exactly once across tiers")
struct ExactlyOnceTests {
    /// The steps of a move by hand: copy into the target, flip the catalog, delete the source.
    /// Between each, every read sees the record once, from the tier the catalog names.
    @Test("A record copied to another tier reads once before and after the catalog flips")
    func copyThenFlip() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let clock = TestClock()
        let store = try TieredMemoryStore.open(at: root, configuration: .init(clock: { clock.date }))
        defer { try? store.close() }
        let old = clock.date.addingTimeInterval(-200 * 86_400)
        let archive = Tier.archive(holding: old)
        try store.place([conversation("already archived", at: old)], in: archive)
        let moving = try store.active.insert(conversation("moving", at: old.addingTimeInterval(10)))
        let space = EmbeddingSpace(name: "e", model: "test", dimension: 2, metric: .l2)
        try store.active.define(space)
        try store.active.setVector([1, 0], for: moving.id, in: "e")

        func check(from tier: Tier) throws {
            let listed = try store.nodes(in: "u", kind: .conversation).filter { $0.id == moving.id }
            #expect(listed.count == 1)
            #expect(try store.node(moving.id) == moving)
            #expect(try store.tier(of: moving.id) == tier)
            let hits = try store.nearest(to: [1, 0], k: 5, in: "e", namespace: "u").hits.filter { $0.id == moving.id }
            #expect(hits.count == 1)
        }
        try check(from: .active)
        // 1. Copied into the archive (with its vector): the catalog still names active.
        _ = try store.pool.withStore(archive, writable: true) { tier in
            try tier.insert(moving)
            try tier.define(space)
            try tier.setVector([1, 0], for: moving.id, in: "e")
        }
        try check(from: .active)
        // 2. The catalog flips: the active copy, still there, is no longer read.
        try store.active.database.write { transaction in
            try store.catalog.recordMove(of: [moving], from: .active, to: archive, in: transaction)
        }
        try check(from: archive)
        #expect(try store.node(moving.id, hint: .active) == nil)
        // 3. The source copy goes.
        #expect(try store.active.delete(moving.id) >= 1)
        try check(from: archive)
    }
}
