import Foundation
import StrataEngine
import StrataGraph
import StrataTiers
import Synchronization

/// (f) `migrate()` of conversations aged past the active boundary (to `recent`), with a writer
/// thread inserting into the active tier all the while; the same writer alone first, as the
/// baseline.
struct TiersMovePhase {
    let messages: Int
    let baselineWrites: Int
    let output: ResultWriter

    func run(_ tiered: TieredMemoryStore, dataset: inout TiersDataset) throws {
        // Setup: conversations created 40 to 80 days ago, in active (due to move to recent).
        let aged = TiersDataset.now.addingTimeInterval(-80 * 86_400)..<TiersDataset.now.addingTimeInterval(-40 * 86_400)
        var remaining = messages
        let setup = try measure {
            while remaining > 0 {
                try tiered.active.write { graph in
                    for _ in 0..<20 where remaining > 0 {
                        let size = min(TiersDataset.messagesPerConversation, remaining)
                        let (nodes, vectors) = dataset.conversation(messages: size, in: aged)
                        try graph.insert(contentsOf: nodes)
                        try graph.setVectors(vectors, in: dataset.space.name)
                        remaining -= size
                    }
                }
            }
        }
        note(String(format: "move setup: %d aged messages in %.1f s", messages, setup.wall))
        let recentBefore = try tiered.tiers().first { $0.tier == .recent }?.count ?? 0

        let chat = Node(namespace: TiersDataset.namespaces[0], createdAt: TiersDataset.now, .conversation(Conversation(title: "live")))
        try tiered.active.insert(chat)
        let space = dataset.space.name
        let vectors = (0..<64).map { _ in dataset.query() }
        let write: @Sendable (Int) throws -> Void = { index in
            try tiered.active.write { graph in
                let node = try graph.insert(Node(namespace: TiersDataset.namespaces[0], createdAt: TiersDataset.now,
                                                 .message(Message(conversation: chat.id, role: .user, text: "live write \(index)"))))
                try graph.setVector(vectors[index % vectors.count], for: node.id, in: space)
            }
        }

        var baseline = Latencies()
        for index in 0..<baselineWrites { try baseline.time { try write(index) } }
        output.line("write_baseline", baseline.fields)

        let done = Atomic<Bool>(false)
        let during = Mutex(Latencies())
        let failure = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let firstIndex = baselineWrites
        let writer = Thread {
            var latencies = Latencies()
            var index = firstIndex
            while !done.load(ordering: .acquiring) {
                do { try latencies.time { try write(index) } } catch {
                    failure.withLock { $0 = "\(error)" }
                    break
                }
                index += 1
            }
            during.withLock { $0 = latencies }
            finished.signal()
        }
        writer.start()
        let migrateCPU = Latencies.threadCPU()
        let migration = try measure { try tiered.migrate() }
        let moverCPU = Double(Latencies.threadCPU() &- migrateCPU) / 1e9
        done.store(true, ordering: .releasing)
        finished.wait()
        if let failure = failure.withLock({ $0 }) { throw BenchFailure("writer during the move: \(failure)") }
        let progress = migration.result
        let recentAfter = try tiered.tiers().first { $0.tier == .recent }?.count ?? 0
        guard !progress.remaining, recentAfter - recentBefore == progress.records else {
            throw BenchFailure("migrate moved \(progress.records), recent grew by \(recentAfter - recentBefore), remaining \(progress.remaining)")
        }
        output.line("move", [
            "n": progress.records, "batches": progress.batches, "ms": Latencies.rounded(migration.wall * 1000),
            "cpu_ms": Latencies.rounded(moverCPU * 1000), "process_cpu_ms": Latencies.rounded(migration.cpu * 1000),
            "records_per_s": Latencies.rounded(Double(progress.records) / migration.wall),
            "records_per_cpu_s": Latencies.rounded(Double(progress.records) / moverCPU),
            "target": "recent",
        ])
        output.line("write_during_move", during.withLock { $0 }.fields)
    }
}
