import Dispatch

/// The queue the `async` forms of ``Database/write(durability:_:)`` and ``Database/read(_:)``
/// run their blocking work on: GCD's own threads, never the cooperative pool, which has only
/// one thread per core and must not wait on an fsync.
private let blockingWork = DispatchQueue(label: "StrataEngine.blocking-work", qos: .userInitiated, attributes: .concurrent)

extension Database {
    /// Runs `body` in a write transaction off the cooperative thread pool, and resumes when it
    /// committed (after the fsync, when durable) or threw.
    ///
    /// The same transaction as the synchronous ``write(durability:_:)``, for callers on Swift's
    /// cooperative pool: the commit, its fsync and the writer lock are waited for on a thread
    /// of a dispatch queue, never on a cooperative thread, so that a hundred tasks awaiting
    /// durable writes do not stop other tasks from running. `body` runs on that thread, so it
    /// must be `@Sendable`; the `Transaction` it gets never leaves it.
    ///
    /// Once called, the write runs to its end: cancelling the awaiting task does not abandon a
    /// commit half-way (check `Task.isCancelled` before calling if that matters).
    ///
    /// - Throws: whatever the synchronous form throws.
    public func write<T: Sendable>(
        durability: Durability? = nil, _ body: @escaping @Sendable (Transaction) throws -> T
    ) async throws -> T {
        try await offCooperativePool { try self.write(durability: durability, body) }
    }

    /// Runs `body` with a snapshot of the latest commit, off the cooperative thread pool (a
    /// read may wait on the disk when a page is not cached).
    ///
    /// - Throws: whatever the synchronous ``read(_:)`` throws.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Snapshot) throws -> T) async throws -> T {
        try await offCooperativePool { try self.read(body) }
    }

    /// Runs `work` on `blockingWork` and resumes with its result.
    private func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            blockingWork.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
