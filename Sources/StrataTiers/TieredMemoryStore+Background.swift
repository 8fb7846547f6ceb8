#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine
import StrataGraph

extension TieredMemoryStore {
    /// Starts the background maintenance worker (at open, with ``Configuration/backgroundSync``).
    func startBackground() {
        let worker = BackgroundWorker(name: "strata.tiers.\(root)", interval: configuration.syncInterval) { [weak self] in
            guard let self else { return nil }
            return try self.maintenancePass()
        }
        backgroundWorker.withLock { $0 = worker }
    }

    /// One background pass: one migrate batch (a batch a failure left journaled is finished
    /// first), then closing the tiers idle for ``Configuration/idleClose``. More is due when
    /// the batch left records to move.
    func maintenancePass() throws -> BackgroundWorker.PassResult {
        let progress = try migrate(maxBatches: 1)
        try closeIdleTiers()
        return .init(items: progress.records, more: progress.remaining)
    }

    /// Asks the background worker (if ``Configuration/backgroundSync`` started one) to run a pass
    /// now rather than at the end of its ``Configuration/syncInterval``: after a bulk insert, or
    /// once the clock has moved records past a boundary.
    public func wakeBackground() {
        backgroundWorker.withLock { $0 }?.wake()
    }
}
