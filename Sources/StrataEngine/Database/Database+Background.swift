extension Database {
    /// Registers with the process's one ``BackgroundScheduler``, which bounds the loss window
    /// (flushes the WAL every `flushInterval`), checkpoints by time, and deletes segments once
    /// readers let go. Ticks at least every second.
    func startFlusher() {
        let intervals = [configuration.flushInterval, configuration.checkpointInterval].compactMap { $0 }
        guard let tick = intervals.min() else { return }
        BackgroundScheduler.shared.register(self, interval: min(tick, .seconds(1)))
    }

    /// One wake-up from the scheduler: fsyncs the WAL when the flush interval has elapsed
    /// (``FlushSchedule``), then checkpoints if one is due by time or deletes segments readers
    /// have let go of.
    func backgroundTick() {
        let flushWAL = flushSchedule.withLock { $0.takeDue(at: .now) }
        backgroundTick(flushWAL: flushWAL)
    }

    /// One wake-up, told whether the WAL flush is due.
    func backgroundTick(flushWAL: Bool) {
        guard (try? checkWritable()) != nil else { return }
        if flushWAL, wal.appendedSequence > wal.durableSequence {
            do {
                try wal.sync(through: wal.appendedSequence)
            } catch {
                disableWrites(error, while: "flushing the WAL in the background")
                return
            }
        }
        writer.withLockIfAvailable { w in
            guard !w.released else { return }
            let due = configuration.checkpointInterval.map { ContinuousClock.now - w.checkpointStarted >= $0 } ?? false
            if due && w.changedSinceCheckpoint {
                do {
                    try checkpointer.run(&w, force: false)
                } catch {
                    disableWrites(error, while: "checkpointing in the background")
                }
            } else {
                checkpointer.deleteDoomedSegments(&w)
            }
        }
    }
}
