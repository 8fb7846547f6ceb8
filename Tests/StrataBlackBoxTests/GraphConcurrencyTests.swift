import Foundation
import StrataEngine
import StrataGraph
import Synchronization
import Testing

/// Readers on snapshots while a writer writes: each reader sees whole transactions only.
@Suite struct GraphConcurrencyTests {
    @Test func readersNeverSeeHalfATransaction() throws {
        let harness = try GraphHarness()
        let store = harness.store
        let ns = "tenant"
        let chat: NodeID = "chat", paris: NodeID = "paris"
        try store.define(EmbeddingSpace(name: "text", model: "m", dimension: 2, metric: .dot))
        try store.write { graph in
            try graph.insert(Node(id: chat, namespace: ns, createdAt: GraphHarness.base, .conversation(Conversation(title: "t"))))
            try graph.insert(Node(id: paris, namespace: ns, createdAt: GraphHarness.base, .entity(Entity(type: .place, name: "Paris"))))
        }
        let writes = 40
        let shared = SharedState()
        @Sendable func note(_ problem: String) { shared.note(problem) }

        /// One consistent look at the graph: every message has its mention, memory and vector.
        @Sendable func check() {
            do {
                let reader = try store.reader()
                let messages = try reader.messages(in: chat).map(\.id)
                let mentions = try reader.mentionIDs(of: paris)
                if Set(mentions) != Set(messages) { note("seq \(reader.sequence): \(messages.count) messages, \(mentions.count) mentions") }
                if try reader.count(in: ns, kind: .message) != messages.count { note("seq \(reader.sequence): count disagrees") }
                if try reader.memories(in: ns).count != messages.count { note("seq \(reader.sequence): memories disagree") }
                let hits = try reader.nearest(to: [1, 0], k: writes + 1, in: "text", namespace: ns).hits
                if hits.count != messages.count { note("seq \(reader.sequence): \(hits.count) vectors for \(messages.count) messages") }
                if let last = messages.last, try reader.entities(mentionedBy: last).map(\.id) != [paris] {
                    note("seq \(reader.sequence): \(last) without its mention")
                }
                if let count = try reader.node(paris)?.entity?.mentionCount, count != messages.count {
                    note("seq \(reader.sequence): mentionCount \(count) for \(messages.count)")
                }
                shared.rounds.add(1, ordering: .relaxed)
            } catch {
                note("read failed: \(error)")
            }
        }

        let finished = DispatchSemaphore(value: 0)
        let readers = 2
        for _ in 0..<readers {
            Thread {
                while !shared.done.load(ordering: .acquiring) { check() }
                check()
                finished.signal()
            }.start()
        }
        Thread {
            do {
                for i in 0..<writes {
                    let id = NodeID("m\(1000 + i)")
                    try store.write { graph in
                        try graph.insert(Node(id: id, namespace: ns, createdAt: GraphHarness.base.addingTimeInterval(Double(i + 1)),
                                              .message(Message(conversation: chat, role: .user, text: "message \(i)"))))
                        try graph.addEdge(Edge(from: id, type: .mentions, to: paris, validFrom: GraphHarness.base))
                        try graph.insert(Node(id: NodeID("mem\(1000 + i)"), namespace: ns, createdAt: GraphHarness.base,
                                              .memory(Memory(kind: .episodic, text: "said \(i)", source: id))))
                        try graph.setVector([Float(i), 1], for: id, in: "text")
                    }
                }
            } catch {
                note("write failed: \(error)")
            }
            shared.done.store(true, ordering: .releasing)
            finished.signal()
        }.start()
        for _ in 0...readers { finished.wait() }

        #expect(shared.problems.withLock { $0 } == [])
        #expect(shared.rounds.load(ordering: .relaxed) >= readers, "rounds: \(shared.rounds.load(ordering: .relaxed))")
        let reader = try store.reader()
        #expect(try reader.messages(in: chat).count == writes)
        #expect(try reader.node(paris)?.entity?.mentionCount == writes)
        #expect(try store.verify().isSound)
    }
}

/// What the reader and writer threads share.
final class SharedState: Sendable {
    let done = Atomic<Bool>(false)
    let rounds = Atomic<Int>(0)
    let problems = Mutex<[String]>([])
    func note(_ problem: String) { problems.withLock { if $0.count < 20 { $0.append(problem) } } }
}
