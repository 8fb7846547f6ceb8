#if STRATA_INVARIANTS
/// Invariant checkers for ``LeafNode``, ``BranchNode`` and ``KeyPrefix``, compiled in only under
/// `STRATA_INVARIANTS` (the debug builds of this package define it; swift-collections'
/// `_checkInvariants` is the model). They never trap: each returns the list of what is wrong,
/// empty for a sound node, so that tests can run them after every step and can also hand them
/// a deliberately broken node and see it reported.
///
/// The checks take a node's parts rather than the node, so that a test can build parts no
/// node method would produce.
enum NodeInvariants {
    /// A leaf: keys non-empty, at most `Limits.maxKeyLength`, strictly ascending; every entry
    /// inside the heap; every key starts with the prefix and its slot holds its hint; hints
    /// never decrease; `encodedSize` and `garbage` match the entries.
    static func leafViolations(
        heap: [UInt8], slots: [LeafSlot], prefix: KeyPrefix, garbage: Int, encodedSize: Int,
        entrySize: (LeafSlot) -> Int
    ) -> [String] {
        var violations = prefix.invariantViolations()
        var live = 0
        var size = LeafNode.headerSize
        var previous: ArraySlice<UInt8>?
        var previousHint: UInt32 = 0
        for (i, slot) in slots.enumerated() {
            let start = Int(slot.offset)
            let end = start + Int(slot.keyLength) + slot.storedValueLength
            guard end <= heap.count else {
                violations.append("leaf entry \(i) ends at \(end), past the heap's \(heap.count) bytes")
                continue
            }
            let key = heap[start..<start + Int(slot.keyLength)]
            violations += keyViolations(key, what: "leaf key \(i)", after: previous)
            violations += hintViolations(key, hint: slot.hint, prefix: prefix, what: "leaf key \(i)")
            if i > 0, slot.hint < previousHint {
                violations.append("leaf hint \(i) is \(slot.hint), below the previous \(previousHint)")
            }
            previous = key
            previousHint = slot.hint
            live += Int(slot.keyLength) + slot.storedValueLength
            size += entrySize(slot)
        }
        if size != encodedSize { violations.append("leaf encodedSize is \(encodedSize), its entries add up to \(size)") }
        if heap.count - live != garbage {
            violations.append("leaf garbage is \(garbage), the heap has \(heap.count - live) bytes no entry uses")
        }
        return violations
    }

    /// A branch: one more child than separators; separators non-empty, bounded, strictly
    /// ascending, inside the heap, with the prefix and their hints; `encodedSize` and `garbage`
    /// match; every in-memory child is a node one level down (a leaf under level 1).
    static func branchViolations(
        keyHeap: [UInt8], separators: [Separator], prefix: KeyPrefix, children: [ChildRef], level: Int,
        garbage: Int, encodedSize: Int
    ) -> [String] {
        var violations = prefix.invariantViolations()
        if level < 1 { violations.append("branch level is \(level)") }
        if children.count != separators.count + 1 {
            violations.append("branch has \(children.count) children for \(separators.count) separators")
        }
        var live = 0
        var size = BranchNode.headerSize + children.count * PageAddress.encodedSize
        var previous: ArraySlice<UInt8>?
        for (i, separator) in separators.enumerated() {
            let start = Int(separator.offset)
            let end = start + Int(separator.length)
            guard end <= keyHeap.count else {
                violations.append("separator \(i) ends at \(end), past the heap's \(keyHeap.count) bytes")
                continue
            }
            let key = keyHeap[start..<end]
            violations += keyViolations(key, what: "separator \(i)", after: previous)
            violations += hintViolations(key, hint: separator.hint, prefix: prefix, what: "separator \(i)")
            previous = key
            live += key.count
            size += varintLength(UInt64(key.count)) + key.count
        }
        if size != encodedSize { violations.append("branch encodedSize is \(encodedSize), its parts add up to \(size)") }
        if keyHeap.count - live != garbage {
            violations.append("branch garbage is \(garbage), the heap has \(keyHeap.count - live) bytes no separator uses")
        }
        for (i, child) in children.enumerated() {
            guard let node = child.node else { continue }
            let childLevel = node.kind == .leaf ? 0 : (node as? BranchNode)?.level ?? -1
            if childLevel != level - 1 {
                violations.append("child \(i) of a level-\(level) branch is at level \(childLevel)")
            }
        }
        return violations
    }

    private static func keyViolations(_ key: ArraySlice<UInt8>, what: String, after previous: ArraySlice<UInt8>?) -> [String] {
        var violations: [String] = []
        if key.isEmpty { violations.append("\(what) is empty") }
        if key.count > Limits.maxKeyLength { violations.append("\(what) is \(key.count) bytes, over \(Limits.maxKeyLength)") }
        if let previous, !previous.lexicographicallyPrecedes(key) {
            violations.append("\(what) \(Array(key)) does not sort after the one before, \(Array(previous))")
        }
        return violations
    }

    private static func hintViolations(_ key: ArraySlice<UInt8>, hint: UInt32, prefix: KeyPrefix, what: String) -> [String] {
        key.withUnsafeBytes { bytes in
            guard prefix.position(of: bytes) == .within else {
                return ["\(what) \(Array(key)) does not start with the node's \(prefix.length)-byte prefix"]
            }
            let expected = prefix.hint(of: bytes)
            return expected == hint ? [] : ["\(what) has hint \(hint), its key's hint is \(expected)"]
        }
    }
}

extension LeafNode {
    /// What is wrong with this leaf (empty when nothing is); see ``NodeInvariants``.
    func invariantViolations() -> [String] {
        NodeInvariants.leafViolations(
            heap: heap, slots: slots, prefix: prefix, garbage: garbage, encodedSize: encodedSize,
            entrySize: entryEncodedSize)
    }
}

extension BranchNode {
    /// What is wrong with this branch (empty when nothing is); see ``NodeInvariants``.
    func invariantViolations() -> [String] {
        NodeInvariants.branchViolations(
            keyHeap: keyHeap, separators: separators, prefix: prefix, children: children, level: level,
            garbage: garbage, encodedSize: encodedSize)
    }
}
#endif
