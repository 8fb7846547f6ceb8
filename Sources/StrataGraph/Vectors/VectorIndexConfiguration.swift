/// How the HNSW vector index is built and searched (TUNING.md, "The vector index").
///
/// `m`, `efConstruction` and `levelMultiplier` shape a graph when it is created and are stored
/// with it; a graph keeps the parameters it was created with (a changed configuration applies to
/// graphs created afterwards, or after ``MemoryStore/rebuildVectorIndex(space:namespace:)``).
public struct VectorIndexConfiguration: Sendable, Equatable {
    /// Neighbours per node on the upper layers (twice as many on layer 0).
    public var m: Int
    /// The candidate list an insert searches with.
    public var efConstruction: Int
    /// The level distribution's scale: a node reaches level ≥ l with probability e^(−l/multiplier).
    public var levelMultiplier: Double
    /// The candidate list a search uses when the caller passes no `ef` (never below `k`).
    public var efSearch: Int
    /// The memory the search cache (decoded vectors and neighbour lists) may take, in bytes.
    public var cacheBytes: Int
    /// Nodes rewired (or tombstones freed) per repair transaction.
    public var repairBatchSize: Int
    /// Repair starts when tombstones are at least this fraction of a graph's nodes.
    public var consolidationThreshold: Double
    /// The most distances a filtered walk computes before it gives up (and says so).
    public var filterScanBudget: Int
    /// A search whose candidates (the filter's, or the graph's live nodes) are at most this many
    /// compares them all exactly instead of walking the graph.
    public var exactScanBound: Int
    /// A filtered walk expands two hops through nodes the filter refuses when fewer than this
    /// fraction of the graph's nodes pass the filter.
    public var twoHopFraction: Double

    /// The defaults: M 16, efConstruction 200, levelMultiplier 1/ln(16), efSearch 64, a 512 MiB
    /// cache, repair batches of 512, consolidation at 20 % tombstones, a filtered scan budget of
    /// 50 000 distances, exact scans up to 2 000 candidates, two-hop walks below 10 % selectivity.
    public init(
        m: Int = 16, efConstruction: Int = 200, levelMultiplier: Double? = nil, efSearch: Int = 64,
        cacheBytes: Int = 512 << 20, repairBatchSize: Int = 512, consolidationThreshold: Double = 0.2,
        filterScanBudget: Int = 50_000, exactScanBound: Int = 2_000, twoHopFraction: Double = 0.1
    ) {
        self.m = m
        self.efConstruction = efConstruction
        self.levelMultiplier = levelMultiplier ?? 1 / HNSWLevel.naturalLog(Double(max(m, 2)))
        self.efSearch = efSearch
        self.cacheBytes = cacheBytes
        self.repairBatchSize = repairBatchSize
        self.consolidationThreshold = consolidationThreshold
        self.filterScanBudget = filterScanBudget
        self.exactScanBound = exactScanBound
        self.twoHopFraction = twoHopFraction
    }

    /// Throws `invalidField` for a parameter out of range.
    func validate() throws {
        func check(_ ok: Bool, _ field: String, _ message: String) throws {
            guard ok else { throw GraphError.invalidField("vectorIndex.\(field)", message) }
        }
        try check((2...256).contains(m), "m", "\(m) is outside 2 ... 256")
        try check((1...10_000).contains(efConstruction), "efConstruction", "\(efConstruction) is outside 1 ... 10000")
        try check(levelMultiplier.isFinite && levelMultiplier > 0 && levelMultiplier <= 4, "levelMultiplier", "\(levelMultiplier) is outside (0, 4]")
        try check((1...GraphLimits.maxNearestK).contains(efSearch), "efSearch", "\(efSearch) is outside 1 ... \(GraphLimits.maxNearestK)")
        try check(cacheBytes >= 0, "cacheBytes", "\(cacheBytes) is negative")
        try check(repairBatchSize >= 1, "repairBatchSize", "\(repairBatchSize) must be at least 1")
        try check(consolidationThreshold > 0 && consolidationThreshold <= 1, "consolidationThreshold", "\(consolidationThreshold) is outside (0, 1]")
        try check(filterScanBudget >= 1, "filterScanBudget", "\(filterScanBudget) must be at least 1")
        try check(exactScanBound >= 0, "exactScanBound", "\(exactScanBound) is negative")
        try check(twoHopFraction >= 0 && twoHopFraction <= 1, "twoHopFraction", "\(twoHopFraction) is outside [0, 1]")
    }
}
