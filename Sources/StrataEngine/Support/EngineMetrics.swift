import CoreMetrics

/// The engine's swift-metrics instruments. The library never bootstraps a metrics system:
/// it uses the factory in ``Database/Configuration/metricsFactory``, or the global one.
struct EngineMetrics: Sendable {
    let commits: Counter
    let operations: Counter
    let walSyncs: Timer
    let checkpoints: Timer
    let checkpointBytes: Counter
    let segmentsCollected: Counter

    init(factory: (any MetricsFactory)?, path: String) {
        let factory = factory ?? MetricsSystem.factory
        let dimensions = [("path", path)]
        commits = Counter(label: "strata_commits_total", dimensions: dimensions, factory: factory)
        operations = Counter(label: "strata_operations_total", dimensions: dimensions, factory: factory)
        walSyncs = Timer(label: "strata_wal_sync_seconds", dimensions: dimensions, factory: factory)
        checkpoints = Timer(label: "strata_checkpoint_seconds", dimensions: dimensions, factory: factory)
        checkpointBytes = Counter(label: "strata_checkpoint_bytes_total", dimensions: dimensions, factory: factory)
        segmentsCollected = Counter(label: "strata_segments_collected_total", dimensions: dimensions, factory: factory)
    }
}
