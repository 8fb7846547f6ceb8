import StrataEngine
import StrataGraph

extension DatabaseCoordinator {
    /// Starts the background enrichment worker (at open, with ``Configuration/backgroundEnrichment``).
    func startEnrichmentWorker() {
        let worker = BackgroundWorker(name: "strata.enrichment.\(root)", interval: configuration.enrichmentInterval) { [weak self] in
            guard let self else { return nil }
            let batch = try self.runEnrichment()
            return .init(items: batch.taken, more: batch.taken > 0)
        }
        enrichmentWorker.withLock { $0 = worker }
    }

    /// Asks the background enrichment worker, if there is one, to run batches now (inserting a
    /// message does this itself).
    public func wakeEnrichment() {
        enrichmentWorker.withLock { $0 }?.wake()
    }

    /// Puts every task set aside in `enrich.failed` (after ``Configuration/maxAttempts``
    /// failures) back in the queue at the end of its priority, with its attempts reset, in one
    /// transaction; returns how many. Run it once the cause is fixed (a handler deployed, a
    /// model reachable again); tasks that fail again are set aside again.
    @discardableResult
    public func retryFailedTasks() throws -> Int {
        let count = try conversations.active.database.write { transaction in try queue.replayFailed(in: transaction) }
        if count > 0 { wakeEnrichment() }
        return count
    }
}
