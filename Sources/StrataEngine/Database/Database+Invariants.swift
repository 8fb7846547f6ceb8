#if STRATA_INVARIANTS
extension Database {
    /// What is wrong with the in-memory nodes of every tree at the latest commit (empty when
    /// nothing is): each leaf and branch's own invariants, and leaf keys inside their parents'
    /// separators. Only in builds with `STRATA_INVARIANTS` (this package's debug builds); the
    /// model tests call it after their steps.
    func invariantViolations() throws -> [String] {
        let trees = try published.withLock { s in
            guard !s.closed else { throw closedError() }
            return s.trees
        }
        return trees.values.sorted { $0.id < $1.id }.flatMap { tree in
            BTreeInvariants.violations(under: tree.root).map { "tree \(tree.name): \($0)" }
        }
    }
}
#endif
