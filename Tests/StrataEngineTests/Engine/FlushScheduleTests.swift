@testable import StrataEngine
import Testing

/// TUNING.md: the background task fsyncs the WAL once `flushInterval` has elapsed, even when the
/// interval is longer than the one-second wake-up (it used to flush on every wake-up).
@Suite("Flush schedule")
struct FlushScheduleTests {
    @Test func aFiveSecondIntervalFlushesEveryFiveSecondsOfOneSecondWakeUps() {
        let start = ContinuousClock.now
        var schedule = FlushSchedule(interval: .seconds(5), start: start)
        let due = (1...12).filter { schedule.takeDue(at: start + .seconds($0)) }
        #expect(due == [5, 10])
    }

    @Test func aShortIntervalFlushesOnEveryWakeUp() {
        let start = ContinuousClock.now
        var schedule = FlushSchedule(interval: .milliseconds(100), start: start)
        let due = (1...4).filter { schedule.takeDue(at: start + .milliseconds(100 * $0)) }
        #expect(due == [1, 2, 3, 4])
    }

    @Test func noIntervalNeverFlushes() {
        let start = ContinuousClock.now
        var schedule = FlushSchedule(interval: nil, start: start)
        let due = schedule.takeDue(at: start + .seconds(3600))
        #expect(!due)
    }
}
