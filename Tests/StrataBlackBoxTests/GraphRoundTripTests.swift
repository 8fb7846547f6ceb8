import Foundation
import StrataEngine
import StrataGraph
import Testing

/// What `insert` returns "as stored" is what a read returns.
@Suite struct GraphRoundTripTests {
    @Test func insertReturnsWhatAReadReturns() throws {
        let harness = try GraphHarness()
        var mismatches: [String] = []
        let start = Date(timeIntervalSince1970: 1_765_000_000.123_456_7)
        for i in 0..<60 {
            let created = start.addingTimeInterval(Double(i) * 0.000_137_3)
            let inserted = try harness.store.insert(Node(id: NodeID("n\(i)"), namespace: "a", createdAt: created,
                                                         .entity(Entity(type: .person, name: "P\(i)"))))
            let read = try #require(try harness.store.node(NodeID("n\(i)")))
            if read != inserted {
                mismatches.append("\(created.timeIntervalSince1970): read \(read.createdAt.timeIntervalSince1970) updated \(read.updatedAt.timeIntervalSince1970)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of 60 differ, e.g. \(mismatches.prefix(2))")
        let report = try harness.store.verify()
        #expect(report.isSound, "\(report.problems.prefix(3))")
        #expect(try harness.store.delete(contentsOf: (0..<60).map { NodeID("n\($0)") }) == 60)
        #expect(try harness.store.reader().nodeIDs(in: "a").isEmpty)
        #expect(try harness.store.verify().isSound)
    }
}

/// What `update` returns is what a read returns, derived fields included.
@Suite struct GraphUpdateReturnTests {
    @Test func updateReturnsWhatAReadReturns() throws {
        let harness = try GraphHarness()
        let alice = Tenant(namespace: "alice")
        try alice.build(in: harness.store)
        try harness.store.recordAccess(alice.memory, at: GraphHarness.base.addingTimeInterval(10))
        let entity = try harness.store.update(alice.paris) { $0.content = .entity(Entity(type: .place, name: "Paris, France")) }
        #expect(entity == (try harness.store.node(alice.paris)))
        #expect(entity.entity?.mentionCount == 2)
        let memory = try harness.store.update(alice.memory) { node in
            if case .memory(var m) = node.content { m.importance = 0.9; node.content = .memory(m) }
        }
        #expect(memory == (try harness.store.node(alice.memory)))
        #expect(memory.memory?.accessCount == 1)
        let odd = Date(timeIntervalSince1970: 1_765_000_000.123_868_5)
        let moved = try harness.store.update(alice.chat) { $0.updatedAt = odd }
        #expect(moved == (try harness.store.node(alice.chat)))
    }
}
