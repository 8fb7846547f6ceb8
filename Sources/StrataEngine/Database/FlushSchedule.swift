/// When the background task fsyncs the WAL: once `interval` has elapsed since the last
/// background flush, however often the task wakes (it wakes at least every second for
/// checkpoints by time and segment deletion, so an interval over a second is honoured exactly
/// rather than rounded down to a second).
struct FlushSchedule {
    /// `Configuration.flushInterval`; nil never flushes in the background.
    let interval: Duration?
    /// When the last background flush was due and ran (or the schedule started).
    private(set) var lastFlush: ContinuousClock.Instant

    init(interval: Duration?, start: ContinuousClock.Instant) {
        self.interval = interval
        lastFlush = start
    }

    /// Whether a flush is due at `now`; if so, counts it as done at `now`.
    mutating func takeDue(at now: ContinuousClock.Instant) -> Bool {
        guard let interval, now - lastFlush >= interval else { return false }
        lastFlush = now
        return true
    }
}
