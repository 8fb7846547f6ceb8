#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import StrataEngine
import Synchronization

/// What a background worker (``TieredMemoryStore/Configuration/backgroundSync``,
/// ``DatabaseCoordinator/Configuration/backgroundEnrichment``) has done, as statistics report it.
public struct BackgroundStatus: Sendable {
    /// Whether the worker's thread is running (false once the store closed).
    public var running: Bool
    /// Passes run (each one migrate batch and an idle-tier sweep, or one enrichment batch).
    public var passes: Int
    /// Records moved (or enrichment tasks taken) by the worker since the store opened.
    public var items: Int
    /// Passes that threw.
    public var errors: Int
    /// The last error a pass threw (kept after later passes succeed; ``errors`` counts them).
    public var lastError: StrataError?
}

/// One thread (a Dispatch queue of its own) that runs `pass` every `interval` (wall time), at once again while a pass says
/// more work is due, and early on ``wake()``. ``stop()`` lets the pass in progress finish, then
/// joins the thread: nothing is cut mid-way by a stop.
final class BackgroundWorker: Sendable {
    /// What one pass did: the items it handled and whether more work is due now.
    struct PassResult {
        var items: Int
        var more: Bool
    }

    private struct State {
        var status = BackgroundStatus(running: true, passes: 0, items: 0, errors: 0, lastError: nil)
        var stopping = false
    }

    private let state = Mutex(State())
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let interval: TimeInterval

    /// Starts the thread; `pass` runs on it (it must not call ``stop()``); a pass returning nil
    /// (its owner is gone) ends the loop.
    init(name: String, interval: TimeInterval, pass: @escaping @Sendable () throws -> PassResult?) {
        self.interval = interval
        // A queue of its own: the loop holds one of Dispatch's threads for the store's lifetime.
        DispatchQueue(label: name, qos: .utility).async { [self] in run(pass) }
    }

    /// The worker's counters.
    var status: BackgroundStatus { state.withLock { $0.status } }

    /// Whether ``stop()`` was called (a pass may still be finishing).
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Runs a pass now instead of at the end of the interval.
    func wake() {
        wakeSignal.signal()
    }

    /// Asks the thread to stop, waits for the pass in progress (if any) to end and the thread to
    /// exit. Idempotent.
    func stop() {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        wakeSignal.signal()
        finished.wait()
        state.withLock { $0.status.running = false }
    }

    private func run(_ pass: @Sendable () throws -> PassResult?) {
        defer { finished.signal() }
        while !isStopping {
            var more = false
            do {
                guard let result = try pass() else {
                    state.withLock { $0.status.running = false }
                    return
                }
                more = result.more
                state.withLock { $0.status.passes += 1; $0.status.items += result.items }
            } catch {
                let typed = error as? StrataError ?? StrataError(.ioFailure, "\(error)")
                state.withLock { $0.status.passes += 1; $0.status.errors += 1; $0.status.lastError = typed }
            }
            if isStopping { return }
            if !more { _ = wakeSignal.wait(timeout: .now() + .nanoseconds(Int(min(interval, 86_400) * 1e9))) }
        }
    }
}
