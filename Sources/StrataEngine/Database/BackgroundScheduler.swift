/// The one background task that serves every open database of the process: it flushes each
/// database's WAL every `flushInterval`, checkpoints by time and deletes segments once readers
/// let go (``Database/backgroundTick()``).
///
/// Databases register at open and unregister at close; the scheduler holds them weakly, so a
/// database it ticks can still be released. It runs one detached task while any database is
/// registered (none otherwise), which sleeps until the earliest database is due, so an idle
/// process with a thousand open databases has one sleeping task, not a thousand. Ticks run one
/// after another: a slow fsync or checkpoint of one database delays the others' ticks by as much.
final class BackgroundScheduler: Sendable {
    /// The scheduler of this process.
    static let shared = BackgroundScheduler()

    private struct Entry {
        weak var database: Database?
        let interval: Duration
        var due: ContinuousClock.Instant
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var task: Task<Void, Never>?
        /// When the running task next wakes.
        var wake: ContinuousClock.Instant?
        /// Counts restarts; a task whose generation is not the current one stops.
        var generation = 0
    }

    private let state = Lock(State())

    /// Ticks `database` every `interval` until it unregisters (or is released).
    func register(_ database: Database, interval: Duration) {
        let due = ContinuousClock.now + interval
        state.withLock { s in
            s.entries[ObjectIdentifier(database)] = Entry(database: database, interval: interval, due: due)
            // A task sleeping past the new database's first tick is replaced by one that wakes in time.
            if s.task == nil || s.wake.map({ due < $0 }) ?? false { restart(&s) }
        }
    }

    /// Stops ticking `database` (called by `close()`).
    func unregister(_ database: Database) {
        state.withLock { s in _ = s.entries.removeValue(forKey: ObjectIdentifier(database)) }
    }

    /// How many databases are registered (for tests and the benchmark).
    var registeredCount: Int { state.withLock { $0.entries.count } }

    /// Whether `database` is registered.
    func isRegistered(_ database: Database) -> Bool {
        state.withLock { $0.entries[ObjectIdentifier(database)] != nil }
    }

    /// Whether the scheduler's task is running.
    var isRunning: Bool { state.withLock { $0.task != nil } }

    private func restart(_ s: inout State) {
        s.task?.cancel()
        s.generation += 1
        s.wake = nil
        let generation = s.generation
        s.task = Task.detached(priority: .utility) { [self] in await run(generation: generation) }
    }

    private func run(generation: Int) async {
        while !Task.isCancelled {
            let (due, next) = state.withLock { s -> ([Database], ContinuousClock.Instant?) in
                guard s.generation == generation else { return ([], nil) }
                let now = ContinuousClock.now
                var due: [Database] = []
                for (id, entry) in s.entries {
                    guard let database = entry.database else {
                        s.entries[id] = nil
                        continue
                    }
                    if entry.due <= now {
                        due.append(database)
                        s.entries[id]!.due = now + entry.interval
                    }
                }
                let next = s.entries.values.map(\.due).min()
                s.wake = next
                if next == nil { s.task = nil }
                return (due, next)
            }
            for database in due { database.backgroundTick() }
            guard let next else { return }
            try? await Task.sleep(until: next, clock: .continuous)
        }
    }
}
