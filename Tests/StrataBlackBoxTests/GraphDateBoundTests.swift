import Foundation
import StrataEngine
import StrataGraph
import Testing

/// Queries whose date bounds lie beyond what a record can hold (`Date.distantPast`,
/// `.distantFuture`) answer as the bounds say; they used to trap the process in TupleKey.
@Suite struct GraphDateBoundTests {
    @Test func farDatesInQueriesDoNotTrap() throws {
        let harness = try GraphHarness()
        let alice = Tenant(namespace: "alice")
        try alice.build(in: harness.store)
        let reader = try harness.store.reader()
        #expect(Set(try reader.nodes(in: "alice", olderThan: GraphHarness.now).map(\.id)) == alice.all)
        #expect(Set(try reader.nodes(in: "alice", olderThan: .distantFuture).map(\.id)) == alice.all)
        #expect(try reader.nodes(in: "alice", olderThan: .distantPast).isEmpty)
        #expect(Set(try reader.nodeIDs(in: "alice", createdIn: Date.distantPast..<Date.distantFuture)) == alice.all)
        #expect(try reader.nodeIDs(in: "alice", kind: .message, createdIn: Date.distantFuture.addingTimeInterval(-1)..<Date.distantFuture).isEmpty)
        #expect(try reader.messages(in: alice.chat, range: Date.distantPast..<Date.distantFuture).map(\.id) == alice.messages)
        let hits = try reader.nearest(to: [1, 0, 0], k: 5, in: "text", namespace: "alice",
                                      filter: VectorFilter(createdIn: Date.distantPast..<Date.distantFuture)).hits
        #expect(Set(hits.map(\.id)) == Set(alice.messages))
        // A reader's or a sweep's "now" beyond that range is refused with a typed error, not a trap.
        let readerCode = errorCode { _ = try harness.store.reader(at: .distantFuture) }
        #expect(readerCode == nil || readerCode == .invalidField)
        let sweepCode = errorCode { _ = try harness.store.expire(now: .distantFuture) }
        #expect(sweepCode == nil || sweepCode == .invalidField)
        #expect(try harness.store.verify().isSound)
    }
}
