import BenchCore
import StrataEngine

/// WORKLOADS.md's fillrandom into a Strata tree: `key(p) -> value(p, 0)` for `p` in `perm(1)`
/// order, in batches of 1000 (not synced). Calls `progress` with the number of keys written
/// after every tenth of them.
public func fillRandom(
    _ db: Database, _ tree: Tree, n: Int, seed: UInt64 = 42, progress: (Int) throws -> Void = { _ in }
) throws {
    try fillRandom(db, tree, order: WorkloadData(seed: seed).permutation(tag: 1, n: n), seed: seed, progress: progress)
}

/// ``fillRandom(_:_:n:seed:progress:)`` with `perm(1)` made by the caller.
public func fillRandom(
    _ db: Database, _ tree: Tree, order: [UInt32], seed: UInt64 = 42, progress: (Int) throws -> Void = { _ in }
) throws {
    let data = WorkloadData(seed: seed)
    let n = order.count
    let step = max(n / 10, 1000)
    var index = 0
    while index < n {
        let end = min(index + 1000, n)
        try db.write { tx in
            for p in order[index..<end] {
                try tx.insert(data.value(UInt64(p), gen: 0), forKey: WorkloadData.key(UInt64(p)), in: tree)
            }
        }
        index = end
        if index % step == 0 { try progress(index) }
    }
}
