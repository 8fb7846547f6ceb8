import Dispatch
import StrataEngine
import StrataTestSupport
import Synchronization
import Testing

/// The `async` forms of `write` and `read`: they work from many tasks at once, and a durable
/// write waiting on its fsync does not hold a cooperative thread.
@Suite("Async write and read")
struct AsyncAPITests {
    /// 64 tasks, each a few durable writes: every one lands, in its own key, and reads back
    /// through the async `read`.
    @Test func sixtyFourTasksOfDurableWritesAllLand() async throws {
        let directory = try TemporaryDirectory(prefix: "strata-async")
        let path = directory.appending("db")
        let configuration = EngineFixtures.smallConfiguration(PosixFileSystem())
        let db = try Database.open(at: path, configuration: configuration)
        let tree = try db.tree("t")
        let tasks = 64
        let perTask = 5
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for i in 0..<perTask {
                        let key: [UInt8] = [UInt8(task), UInt8(i)]
                        let sequence = try await db.write(durability: .synced) { tx in
                            try tx.insert(key, forKey: key, in: tree)
                            return i
                        }
                        #expect(sequence == i)
                    }
                }
            }
            try await group.waitForAll()
        }
        let count = try await db.read { snapshot in try snapshot[tree].count }
        #expect(count == tasks * perTask)
        let statistics = try db.statistics()
        #expect(statistics.durableSequence == statistics.sequence)
        try db.close()
        let reopened = try Database.open(at: path, configuration: configuration)
        #expect(try #require(try reopened.existingTree("t")).count == tasks * perTask)
        try reopened.close()
    }

    /// Durable writes from more tasks than there are cooperative threads all wait on an fsync
    /// that the test holds back; a lightweight task must still run (it is what lets the fsync
    /// go). Were the writes waiting on cooperative threads, it could not run until the held
    /// syncs gave up, and it would find writes already returned.
    @Test func durableWritesWaitingOnFsyncLeaveThePoolFree() async throws {
        let fileSystem = FaultInjectingFileSystem(wrapping: MemoryFileSystem())
        let db = try Database.open(at: "/db", configuration: EngineFixtures.smallConfiguration(fileSystem))
        let tree = try db.tree("t")
        let release = DispatchSemaphore(value: 0)
        let waitingSyncs = SharedCounter()
        fileSystem.beforeSync = {
            waitingSyncs.value.add(1, ordering: .relaxed)
            // A safety valve, not a measurement: were the pool blocked, the test body could
            // never let the syncs go; after 20 s they go by themselves, writes return, and the
            // `landed == 0` check below fails instead of the test hanging.
            _ = release.wait(timeout: .now() + .seconds(20))
            release.signal()  // a latch: once let go, every later sync passes too
        }
        let writers = 16
        let landed = SharedCounter()
        let group = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        try await db.write(durability: .synced) { tx in try tx.insert([1], forKey: [UInt8(writer)], in: tree) }
                        landed.value.add(1, ordering: .relaxed)
                    }
                }
                try await group.waitForAll()
            }
        }
        // Runs on the cooperative pool while the writers wait on the held-back fsync.
        while waitingSyncs.value.load(ordering: .relaxed) == 0 { await Task.yield() }
        let progress = await Task { (1...1000).reduce(0, +) }.value
        #expect(progress == 500_500)
        #expect(landed.value.load(ordering: .relaxed) == 0, "no durable write returned before its fsync")
        release.signal()
        try await group.value
        #expect(landed.value.load(ordering: .relaxed) == writers)
        #expect(try tree.count == writers)
        fileSystem.beforeSync = nil
        try db.close()
    }
}
