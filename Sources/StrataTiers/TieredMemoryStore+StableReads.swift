import Dispatch
import Synchronization

extension TieredMemoryStore {
    /// Runs `body`, a commit that changes which tier the catalog names for some records (a
    /// move's flip, a forget), with ``catalogVersion`` odd while it runs.
    func changingCatalog<T>(_ body: () throws -> T) rethrows -> T {
        catalogVersion.add(1, ordering: .sequentiallyConsistent)
        defer { catalogVersion.add(1, ordering: .sequentiallyConsistent) }
        return try body()
    }

    /// Runs `body`, a read that looks up the catalog, the crossing edges and one or more tiers at
    /// different instants, until no catalog change overlapped it: a read that straddled a flip
    /// could miss a record (found by the catalog in its source, then evicted) or an edge (read
    /// inside a tier before the copy placed it, then gone from the crossing tree), so it runs
    /// again. A flip is one active commit; a read waits at most that long per retry.
    func stableRead<T>(_ body: () throws -> T) throws -> T {
        while true {
            let before = catalogVersion.load(ordering: .sequentiallyConsistent)
            if before & 1 == 1 {
                _ = DispatchSemaphore(value: 0).wait(timeout: .now() + .microseconds(200))
                continue
            }
            let result = try body()
            if catalogVersion.load(ordering: .sequentiallyConsistent) == before { return result }
        }
    }
}
