#if STRATA_INVARIANTS
/// Whole-tree invariants over the nodes in memory (dirty or cached; stored pages are checked
/// by their checksum and decoder when read): each node's own (``NodeInvariants``), and every
/// leaf key inside the range its ancestors' separators give it. Compiled in only under
/// `STRATA_INVARIANTS`.
enum BTreeInvariants {
    /// What is wrong with the in-memory part of the tree under `root` (empty when nothing is).
    static func violations(under root: ChildRef?) -> [String] {
        guard let root else { return [] }
        var violations: [String] = []
        walk(root, lower: nil, upper: nil, path: "root", into: &violations)
        return violations
    }

    /// What is wrong with the in-memory nodes on the path from `root` to `key`.
    static func violations(onPathTo key: UnsafeRawBufferPointer, under root: ChildRef?) -> [String] {
        var violations: [String] = []
        var ref = root
        var depth = 0
        while let node = ref?.node {
            let found = node.kind == .leaf
                ? unsafeDowncast(node, to: LeafNode.self).invariantViolations()
                : unsafeDowncast(node, to: BranchNode.self).invariantViolations()
            violations += found.map { "depth \(depth): \($0)" }
            guard node.kind == .branch else { break }
            let branch = unsafeDowncast(node, to: BranchNode.self)
            ref = branch.children[min(branch.childIndex(for: key), branch.children.count - 1)]
            depth += 1
        }
        return violations
    }

    private static func walk(_ ref: ChildRef, lower: [UInt8]?, upper: [UInt8]?, path: String, into violations: inout [String]) {
        guard let node = ref.node else { return }
        if node.kind == .leaf {
            let leaf = unsafeDowncast(node, to: LeafNode.self)
            violations += leaf.invariantViolations().map { "\(path): \($0)" }
            guard leaf.count > 0 else { return }
            if let lower, leaf.key(at: 0).lexicographicallyPrecedes(lower) {
                violations.append("\(path): first key \(leaf.key(at: 0)) is below its lower bound \(lower)")
            }
            if let upper, !leaf.key(at: leaf.count - 1).lexicographicallyPrecedes(upper) {
                violations.append("\(path): last key \(leaf.key(at: leaf.count - 1)) is not below its upper bound \(upper)")
            }
            return
        }
        guard node.kind == .branch else {
            violations.append("\(path): a \(node.kind) node in a tree")
            return
        }
        let branch = unsafeDowncast(node, to: BranchNode.self)
        let own = branch.invariantViolations()
        violations += own.map { "\(path): \($0)" }
        guard own.isEmpty else { return }
        for (i, child) in branch.children.enumerated() {
            let childLower = i == 0 ? lower : branch.separator(at: i - 1)
            let childUpper = i == branch.separatorCount ? upper : branch.separator(at: i)
            walk(child, lower: childLower, upper: childUpper, path: "\(path)/\(i)", into: &violations)
        }
    }
}

extension BTreeEditor {
    /// Traps, listing what is wrong, if a node on the path to `key` breaks an invariant: run
    /// after every edit in builds with `STRATA_INVARIANTS`.
    static func checkInvariants(onPathTo key: UnsafeRawBufferPointer, under root: ChildRef?) {
        let violations = BTreeInvariants.violations(onPathTo: key, under: root)
        precondition(violations.isEmpty, "B-tree invariants broken: " + violations.joined(separator: "; "))
    }
}
#endif
