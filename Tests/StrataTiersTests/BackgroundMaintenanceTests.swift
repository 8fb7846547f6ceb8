#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph
@testable import StrataTiers
import Dispatch
import Synchronization
import Testing

/// Polls `condition` until it holds or `bound` seconds of wall time pass (a generous bound on
/// a loaded machine, not a timing assertion); returns whether it held.
func eventually(within bound: TimeInterval = 120, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(bound)
    while Date() < deadline {
        if try condition() { return true }
        _ = DispatchSemaphore(value: 0).wait(timeout: .now() + .milliseconds(2))
    }
    return try condition()
}

@Suite("Background maintenance")
struct BackgroundMaintenanceTests {
    /// Seconds the store's clock runs off the fixture's.
    final class Shift: Sendable {
        let seconds: Mutex<Double>
        init(_ seconds: Double) { self.seconds = Mutex(seconds) }
    }

    /// The fixture's store with the background worker on, its clock `shift` off the fixture's.
    static func open(_ fixture: MoveFixture, shift: Shift, interval: TimeInterval) throws -> TieredMemoryStore {
        let clock = fixture.clock
        var configuration = TieredMemoryStore.Configuration(clock: { clock.date.addingTimeInterval(shift.seconds.withLock { $0 }) })
        configuration.moveBatchSize = 3
        configuration.backgroundSync = true
        configuration.syncInterval = interval
        configuration.idleClose = 86_400
        return try TieredMemoryStore.open(at: fixture.root, configuration: configuration)
    }

    static func settled(_ store: TieredMemoryStore) throws -> Bool {
        try store.plannedMoves(limit: 1).isEmpty && store.pendingMoves() == 0 && store.statistics().runningMove == nil
    }

    @Test("Aged records move and idle tiers close without explicit calls")
    func agedRecordsMove() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let reference = try fixture.open()
        let before = try fixture.answers(reference)
        try reference.close()
        let store = try Self.open(fixture, shift: Shift(0), interval: 0.01)
        defer { try? store.close() }
        // Reads while batches run: a read straddling a flip runs again, so no record is ever missing.
        var missing: Set<NodeID> = []
        #expect(try eventually {
            for id in fixture.ids where try store.node(id) == nil { missing.insert(id) }
            return try store.tier(of: NodeID("old-m1")) == .archive(year: 2026, quarter: 1) && Self.settled(store)
        })
        #expect(missing.isEmpty)
        #expect(try store.tier(of: fixture.mid) == .recent)
        expectSame(try fixture.answers(store), before)
        try fixture.checkTiers(store)
        let status = try #require(try store.statistics().background)
        #expect(status.running && status.items >= 6 && status.passes >= 2)
        // 60 days on (the fake clock): recent → its archive; every tier idle a day closes.
        let later = try fixture.answers(store)  // read while nothing is due (the fake clock holds)
        fixture.clock.advance(days: 60)
        store.wakeBackground()
        #expect(try eventually {
            for id in fixture.ids where try store.node(id) == nil { missing.insert(id) }
            return try store.tier(of: fixture.mid) == .archive(year: 2026, quarter: 3) && Self.settled(store)
        })
        #expect(missing.isEmpty)
        #expect(try store.statistics().openTiers.contains(Tier.archive(year: 2026, quarter: 3)))
        // Each pass plans from `recent`, which so stays open; the archives close when idle.
        fixture.clock.advance(days: 2)
        #expect(try eventually { try store.statistics().openTiers == [Tier.recent] })
        expectSame(try fixture.answers(store), later)
        try store.close()
        #expect(store.backgroundWorker.withLock { $0 }?.status.running == false)
    }

    @Test("close() during a running batch lets it finish: the store reopens with every record once")
    func closeDuringBatch() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let reference = try fixture.open()
        let before = try fixture.answers(reference)
        try reference.close()
        // Nothing is due until the shift goes back to 0 (the records are "in the future").
        let shift = Shift(-400 * 86_400)
        let store = try Self.open(fixture, shift: shift, interval: 3_600)
        let reached = Mutex<RunningMove?>(nil)
        store.stepHook.withLock {
            $0 = { [weak store] (step: TieredMemoryStore.MoveStep) in
                guard step == .copied, let store else { return }
                reached.withLock { $0 = store.runningMove.withLock { $0 } }
                // Hold the batch between its copy and its flip until close() has begun.
                _ = eventually { store.backgroundWorker.withLock { $0 }?.isStopping == true }
            }
        }
        shift.seconds.withLock { $0 = 0 }
        store.wakeBackground()
        #expect(eventually { reached.withLock { $0 } != nil })
        let running = try #require(reached.withLock { $0 })
        #expect(running.source == .active && running.target == .archive(year: 2026, quarter: 1) && running.step == "copied")
        #expect(running.records == 3 && running.batch >= 1)
        try store.close()
        let reopened = try fixture.open()
        defer { try? reopened.close() }
        #expect(reopened.recoveredMoves == 0)  // the batch was not cut: it finished before close returned
        #expect(try reopened.tier(of: fixture.old) == .archive(year: 2026, quarter: 1))
        expectSame(try fixture.answers(reopened), before)
        try fixture.checkTiers(reopened)
    }

    @Test("A failing pass is reported in statistics; the next pass finishes the batch")
    func errorsSurface() throws {
        let fixture = try MoveFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.root) }
        let reference = try fixture.open()
        let before = try fixture.answers(reference)
        try reference.close()
        let shift = Shift(-400 * 86_400)
        let store = try Self.open(fixture, shift: shift, interval: 0.01)
        defer { try? store.close() }
        #expect(eventually { store.backgroundWorker.withLock { $0 }?.status.passes ?? 0 >= 1 })
        store.crashPoint.withLock { $0 = TieredMemoryStore.MoveStep.copied }
        shift.seconds.withLock { $0 = 0 }
        store.wakeBackground()
        #expect(try eventually { try store.statistics().background?.errors ?? 0 >= 1 })
        let status = try #require(try store.statistics().background)
        #expect(status.lastError?.code == .ioFailure)
        #expect(status.lastError?.message.contains("simulated crash") == true)
        #expect(try eventually { try Self.settled(store) })
        expectSame(try fixture.answers(store), before)
        try fixture.checkTiers(store)
        var bad = TieredMemoryStore.Configuration()
        bad.syncInterval = 0
        #expect(throws: StrataError.self) { try TieredMemoryStore.open(at: fixture.root, configuration: bad) }
    }
}
