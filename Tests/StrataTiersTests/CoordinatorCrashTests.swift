#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
import StrataRandom
import StrataTestSupport
import StrataTiers
import Testing

/// Power loss between queueing and handling: the simulated disk loses what was not synced (and
/// tears the last write) at every file operation of the enrichment run in turn; after reopening,
/// a second run must leave the knowledge database equal to a clean run's, with every task run at
/// least once.
@Suite("Coordinator crash campaign")
struct CoordinatorCrashTests {
    static let messageCount = 12

    /// A root on the real disk (TieredMemoryStore makes its tier directories there) whose
    /// databases live on `fileSystem` under the same paths.
    private static func configuration(_ fileSystem: any FileSystem, log: CallLog) -> DatabaseCoordinator.Configuration {
        var engine = Database.Configuration(fileSystem: fileSystem)
        engine.flushInterval = nil
        engine.checkpointInterval = nil
        engine.pageSize = 1024  // small budgets (as the graph model test's): checkpoints happen during the run
        engine.segmentSize = 64 << 10
        engine.dirtyBytes = 64 << 10
        engine.walBytes = 64 << 10
        engine.largeValueThreshold = 512
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        return .init(tiers: .init(memory: .init(engine: engine), clock: { base }), handlers: testHandlers(log), batchSize: 4)
    }

    private static func ids() -> [NodeID] { (0..<messageCount).map { NodeID("m\($0)") } }

    /// Opens a coordinator on `fileSystem` and inserts the messages, each commit synced.
    private static func populate(_ root: String, _ fileSystem: any FileSystem, log: CallLog) throws -> DatabaseCoordinator {
        let coordinator = try DatabaseCoordinator.open(at: root, configuration: configuration(fileSystem, log: log))
        let date = Date(timeIntervalSince1970: 1_789_990_000)
        let chat = try coordinator.conversations.active.insert(Node(id: "chat", namespace: "u", createdAt: date, .conversation(Conversation(title: "c"))))
        for (index, id) in ids().enumerated() {
            let text = "Topic\(index % 3) with Friend\(index % 2) about Place\(index)"
            try coordinator.insertMessage(
                Node(id: id, namespace: "u", createdAt: date.addingTimeInterval(Double(index)), .message(Message(conversation: chat.id, role: .user, text: text))),
                durability: .synced)
        }
        return coordinator
    }

    @Test("A crash at any write of the enrichment run loses no task and converges to the clean run")
    func crashAnywhere() throws {
        let root = temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The clean run, and how many file operations it makes.
        let cleanFS = CrashSimulatingFileSystem()
        let clean = try Self.populate(root, cleanFS, log: CallLog())
        let start = cleanFS.operationCount
        try clean.runEnrichmentUntilIdle()
        let operations = cleanFS.operationCount - start
        let expected = try KnowledgeSnapshot(clean, messages: Self.ids())
        try clean.close()
        #expect(expected.mentions.count == 3 * Self.messageCount && expected.vectors.count == Self.messageCount)

        var rng = SplitMix64(seed: 12)
        let modes: [CrashMode] = [.dropUnsynced, .keepPrefix, .tornGarbage, .reorderAcrossFiles]
        var crashes = 0
        for point in 1...max(1, operations) {
            let log = CallLog()
            let fileSystem = CrashSimulatingFileSystem()
            let coordinator = try Self.populate(root, fileSystem, log: log)
            fileSystem.crashAfterOperations = fileSystem.operationCount + point
            _ = try? coordinator.runEnrichmentUntilIdle()
            try? coordinator.close()
            guard fileSystem.hasCrashed else { continue }
            crashes += 1
            let image = fileSystem.crashImage(using: &rng, mode: modes[point % modes.count])
            let recovered = try DatabaseCoordinator.open(
                at: root, configuration: Self.configuration(CrashSimulatingFileSystem(startingFrom: image), log: log))
            defer { try? recovered.close() }
            try recovered.runEnrichmentUntilIdle()
            let statistics = try recovered.statistics()
            #expect(statistics.pendingTotal == 0 && statistics.failedTasks == 0, "crash at operation \(point)")
            #expect(statistics.knowledge.health.isAvailable, "crash at operation \(point)")
            #expect(try KnowledgeSnapshot(recovered, messages: Self.ids()) == expected, "crash at operation \(point)")
            for id in Self.ids() {
                #expect(log.count(.embed, id) >= 1 && log.count(.extractEntities, id) >= 1, "crash at operation \(point): \(id)")
            }
        }
        #expect(crashes == operations)  // every synced write of the run was a crash point
    }
}
