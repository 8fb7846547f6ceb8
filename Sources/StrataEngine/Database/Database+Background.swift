extension Database {
    /// Starts the background task that bounds the loss window (flushes the WAL every
    /// `flushInterval`), checkpoints by time, and deletes segments once readers let go.
    func startFlusher() {
        let intervals = [configuration.flushInterval, configuration.checkpointInterval].compactMap { $0 }
        guard let tick = intervals.min() else { return }
        let flushInterval = configuration.flushInterval
        let task = Task.detached(priority: .utility) { [weak self] in
            var flushes = FlushSchedule(interval: flushInterval, start: .now)
            while !Task.isCancelled {
                try? await Task.sleep(for: min(tick, .seconds(1)))
                guard let self, !Task.isCancelled else { return }
                self.backgroundTick(flushWAL: flushes.takeDue(at: .now))
            }
        }
        flusher.withLock { $0 = task }
    }

    /// One wake-up of the background task: fsyncs the WAL when `flushWAL` (its
    /// ``FlushSchedule`` says the flush interval elapsed), then checkpoints if one is due by
    /// time or deletes segments readers have let go of.
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
                    try runCheckpoint(&w, force: false)
                } catch {
                    disableWrites(error, while: "checkpointing in the background")
                }
            } else {
                deleteDoomedSegments(&w)
            }
        }
    }
}
