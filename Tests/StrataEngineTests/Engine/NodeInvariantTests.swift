#if STRATA_INVARIANTS
@testable import StrataEngine
import StrataTestSupport
import Testing

/// Each invariant checker reports a node broken on purpose (and nothing for a sound one), so a
/// clean run of the model tests means something.
@Suite("Node invariants")
struct NodeInvariantTests {
    static func leaf(_ keys: [String]) -> LeafNode {
        let leaf = LeafNode(largeValueThreshold: 1024)
        for (i, key) in keys.enumerated() {
            Array(key.utf8).withUnsafeBytes { k in [UInt8(i)].withUnsafeBytes { leaf.insert(at: i, key: k, value: $0) } }
        }
        return leaf
    }

    static func leafViolations(_ leaf: LeafNode, slots: [LeafSlot]? = nil, prefix: KeyPrefix? = nil, garbage: Int? = nil, encodedSize: Int? = nil) -> [String] {
        NodeInvariants.leafViolations(
            heap: leaf.heap, slots: slots ?? (0..<leaf.count).map { leaf.slot(at: $0) }, prefix: prefix ?? leaf.prefix,
            garbage: garbage ?? leaf.garbage, encodedSize: encodedSize ?? leaf.encodedSize, entrySize: leaf.entryEncodedSize)
    }

    @Test func soundLeafHasNoViolations() {
        let leaf = Self.leaf(["user/ada/1", "user/ada/2", "user/bob/1"])
        #expect(leaf.invariantViolations() == [])
        leaf.remove(at: 1)
        #expect(leaf.invariantViolations() == [])
    }

    @Test func leafCheckerCatchesKeysOutOfOrder() {
        let leaf = Self.leaf(["user/ada/1", "user/ada/2", "user/bob/1"])
        var slots = (0..<leaf.count).map { leaf.slot(at: $0) }
        slots.swapAt(1, 2)
        #expect(Self.leafViolations(leaf, slots: slots).contains { $0.contains("does not sort after") })
    }

    @Test func leafCheckerCatchesAKeyOutsideThePrefix() {
        let leaf = Self.leaf(["user/ada/1", "user/ada/2"])
        let wrong = Array("user/bob".utf8).withUnsafeBytes { KeyPrefix(of: $0) }
        #expect(Self.leafViolations(leaf, prefix: wrong).contains { $0.contains("does not start with the node's") })
    }

    @Test func leafCheckerCatchesAWrongHint() {
        let leaf = Self.leaf(["user/ada/1", "user/ada/2"])
        var slots = (0..<leaf.count).map { leaf.slot(at: $0) }
        slots[0].hint &+= 1
        #expect(Self.leafViolations(leaf, slots: slots).contains { $0.contains("has hint") })
    }

    @Test func leafCheckerCatchesWrongSizeAccounting() {
        let leaf = Self.leaf(["a", "b"])
        #expect(Self.leafViolations(leaf, encodedSize: leaf.encodedSize + 1).contains { $0.contains("encodedSize") })
        #expect(Self.leafViolations(leaf, garbage: leaf.garbage + 3).contains { $0.contains("garbage") })
    }

    @Test func leafCheckerCatchesAnEmptyKeyAndAnEntryPastTheHeap() {
        let leaf = Self.leaf(["a", "b"])
        var slots = (0..<leaf.count).map { leaf.slot(at: $0) }
        slots[0].keyLength = 0
        #expect(Self.leafViolations(leaf, slots: slots).contains { $0.contains("is empty") })
        slots = (0..<leaf.count).map { leaf.slot(at: $0) }
        slots[1].offset = UInt32(leaf.heap.count)
        #expect(Self.leafViolations(leaf, slots: slots).contains { $0.contains("past the heap") })
    }

    static func branch(_ separators: [String]) -> BranchNode {
        let address = PageAddress(segment: 1, offset: 0, length: 1, checksum: 0)
        let branch = BranchNode(level: 1)
        branch.appendChild(ChildRef(address: address))
        for separator in separators {
            Array(separator.utf8).withUnsafeBytes { branch.appendSeparator($0) }
            branch.appendChild(ChildRef(address: address))
        }
        return branch
    }

    static func branchViolations(
        _ branch: BranchNode, separators: [Separator]? = nil, prefix: KeyPrefix? = nil, children: [ChildRef]? = nil,
        garbage: Int? = nil, encodedSize: Int? = nil
    ) -> [String] {
        NodeInvariants.branchViolations(
            keyHeap: branch.keyHeap, separators: separators ?? branch.separators, prefix: prefix ?? branch.prefix,
            children: children ?? branch.children, level: branch.level, garbage: garbage ?? branch.garbage,
            encodedSize: encodedSize ?? branch.encodedSize)
    }

    @Test func soundBranchHasNoViolations() {
        #expect(Self.branch(["key/1", "key/2", "key/3"]).invariantViolations() == [])
    }

    @Test func branchCheckerCatchesEachBrokenPart() {
        let branch = Self.branch(["key/1", "key/2", "key/3"])
        var separators = branch.separators
        separators.swapAt(0, 2)
        #expect(Self.branchViolations(branch, separators: separators).contains { $0.contains("does not sort after") })
        separators = branch.separators
        separators[1].hint &+= 1
        #expect(Self.branchViolations(branch, separators: separators).contains { $0.contains("has hint") })
        let wrong = Array("other".utf8).withUnsafeBytes { KeyPrefix(of: $0) }
        #expect(Self.branchViolations(branch, prefix: wrong).contains { $0.contains("does not start with the node's") })
        #expect(Self.branchViolations(branch, children: Array(branch.children.dropLast())).contains { $0.contains("children for") })
        #expect(Self.branchViolations(branch, encodedSize: branch.encodedSize - 1).contains { $0.contains("encodedSize") })
        #expect(Self.branchViolations(branch, garbage: 2).contains { $0.contains("garbage") })
        let leafChild = ChildRef(node: NodeInvariantTests.leaf(["key/0"]))
        let deeper = BranchNode(level: 2, left: leafChild, separator: Array("key/5".utf8), right: leafChild)
        #expect(deeper.invariantViolations().contains { $0.contains("is at level 0") })
    }

    @Test func prefixCheckerCatchesBitsPastItsLength() {
        #expect(KeyPrefix(length: 2, high: 0x6162 << 48, low: 0).invariantViolations() == [])
        #expect(!KeyPrefix(length: 1, high: 0x6162 << 48, low: 0).invariantViolations().isEmpty)
        #expect(!KeyPrefix(length: 9, high: .max, low: 0xFFFF << 48).invariantViolations().isEmpty)
        #expect(!KeyPrefix(length: 17, high: 0, low: 0).invariantViolations().isEmpty)
    }

    /// The tree walk checks leaf keys against their parents' separators.
    @Test func treeCheckerCatchesALeafOutsideItsSeparators() {
        let left = ChildRef(node: Self.leaf(["a", "b"]))
        let right = ChildRef(node: Self.leaf(["c", "d"]))
        let sound = BranchNode(level: 1, left: left, separator: Array("c".utf8), right: right)
        #expect(BTreeInvariants.violations(under: ChildRef(node: sound)) == [])
        let broken = BranchNode(level: 1, left: left, separator: Array("b".utf8), right: right)
        #expect(BTreeInvariants.violations(under: ChildRef(node: broken)).contains { $0.contains("upper bound") })
    }
}
#endif
