/// A B+tree branch: `n` children separated by `n - 1` keys, the keys in one contiguous heap.
/// Child `i` holds keys `k` with `separator[i-1] <= k < separator[i]`.
// @unchecked because, as for every PageNode, it is mutated only by the writer while uniquely
// referenced, and never changes once shared.
final class BranchNode: PageNode, @unchecked Sendable {
    // Exclusive by design, as in LeafNode: no dynamic access checks.
    @exclusivity(unchecked) private(set) var keyHeap: [UInt8]
    /// Where each separator sits in `keyHeap`, with its hint.
    @exclusivity(unchecked) private(set) var separators: [Separator]
    /// A prefix every separator here starts with; `separators` hold the hints under it.
    @exclusivity(unchecked) private(set) var prefix = KeyPrefix()
    @exclusivity(unchecked) var children: [ChildRef]
    @exclusivity(unchecked) private(set) var encodedSize: Int
    @exclusivity(unchecked) private(set) var garbage: Int
    /// Height above the leaves: 1 for a branch of leaves.
    let level: Int

    static let headerSize = 24

    init(level: Int) {
        keyHeap = []
        separators = []
        children = []
        encodedSize = BranchNode.headerSize
        garbage = 0
        self.level = level
        super.init(kind: .branch)
    }

    /// A branch over two children, made when the root splits.
    convenience init(level: Int, left: ChildRef, separator: [UInt8], right: ChildRef) {
        self.init(level: level)
        children = [left]
        encodedSize += PageAddress.encodedSize
        separator.withUnsafeBytes { insertSeparator($0, rightChild: right, at: 0) }
    }

    /// A private copy the writer may mutate (children shared until changed).
    func copy() -> BranchNode {
        let node = BranchNode(level: level)
        node.children = children
        node.encodedSize = BranchNode.headerSize + children.count * PageAddress.encodedSize
        node.keyHeap.reserveCapacity(keyHeap.count - garbage)
        for i in separators.indices { withSeparator(at: i) { node.appendSeparator($0) } }
        return node
    }

    override var memoryFootprint: Int {
        keyHeap.capacity + separators.capacity * MemoryLayout<Separator>.stride
            + children.capacity * MemoryLayout<ChildRef>.stride + 96
    }

    var separatorCount: Int { separators.count }

    @inline(__always)
    func withSeparator<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let sep = separators[index]
        return try keyHeap.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[Int(sep.offset)..<Int(sep.offset + sep.length)]))
        }
    }

    func separator(at index: Int) -> [UInt8] {
        let sep = separators[index]
        return Array(keyHeap[Int(sep.offset)..<Int(sep.offset + sep.length)])
    }

    /// The child whose range holds `key`: the number of separators `<= key`.
    ///
    /// Compares hints, and reads a separator from the heap only when its hint ties with `key`'s.
    func childIndex(for key: UnsafeRawBufferPointer) -> Int {
        let count = separators.count
        if count == 0 { return 0 }
        switch prefix.position(of: key) {
        case .below: return 0
        case .above: return count
        case .within: break
        }
        let hint = prefix.hint(of: key)
        return keyHeap.withUnsafeBytes { raw in
            separators.withUnsafeBufferPointer { separators in
                var low = 0
                var high = count
                while low < high {
                    let mid = (low + high) >> 1
                    let sep = separators[mid]
                    let atOrBelow: Bool
                    if sep.hint != hint {
                        atOrBelow = sep.hint < hint
                    } else {
                        let candidate = UnsafeRawBufferPointer(rebasing: raw[Int(sep.offset)..<Int(sep.offset + sep.length)])
                        atOrBelow = compareBytes(candidate, key) <= 0
                    }
                    if atOrBelow { low = mid + 1 } else { high = mid }
                }
                return low
            }
        }
    }

    // MARK: Writing (only on a uniquely referenced node)

    /// Inserts `separator` at `index` and `rightChild` just after child `index`.
    func insertSeparator(_ separator: UnsafeRawBufferPointer, rightChild: ChildRef, at index: Int) {
        let hint = admit(separator)
        let offset = UInt32(keyHeap.count)
        keyHeap.append(contentsOf: separator)
        separators.insert(Separator(offset: offset, length: UInt32(separator.count), hint: hint), at: index)
        children.insert(rightChild, at: index + 1)
        encodedSize += varintLength(UInt64(separator.count)) + separator.count + PageAddress.encodedSize
    }

    /// Removes child `index` and the separator that bounds it on the left (or, for the first
    /// child, the one on its right).
    func removeChild(at index: Int) {
        children.remove(at: index)
        let sepIndex = index == 0 ? 0 : index - 1
        if sepIndex < separators.count {
            let sep = separators.remove(at: sepIndex)
            garbage += Int(sep.length)
            encodedSize -= varintLength(UInt64(sep.length)) + Int(sep.length)
        }
        encodedSize -= PageAddress.encodedSize
    }

    /// Replaces the separator at `index` (after a merge or rebalance moved the boundary).
    func replaceSeparator(at index: Int, with separator: UnsafeRawBufferPointer) {
        let old = separators[index]
        garbage += Int(old.length)
        encodedSize -= varintLength(UInt64(old.length)) + Int(old.length)
        let hint = admit(separator)
        separators[index] = Separator(offset: UInt32(keyHeap.count), length: UInt32(separator.count), hint: hint)
        keyHeap.append(contentsOf: separator)
        encodedSize += varintLength(UInt64(separator.count)) + separator.count
    }

    /// Splits off the upper half: returns the separator to promote and the new right node.
    func split() -> (separator: [UInt8], right: BranchNode) {
        let middle = separators.count / 2
        let promoted = separator(at: middle)
        let right = BranchNode(level: level)
        right.children = Array(children[(middle + 1)...])
        right.encodedSize += right.children.count * PageAddress.encodedSize
        for i in (middle + 1)..<separators.count { withSeparator(at: i) { right.appendSeparator($0) } }
        let kept = BranchNode(level: level)
        kept.children = Array(children[...middle])
        kept.encodedSize += kept.children.count * PageAddress.encodedSize
        for i in 0..<middle { withSeparator(at: i) { kept.appendSeparator($0) } }
        keyHeap = kept.keyHeap
        separators = kept.separators
        prefix = kept.prefix
        children = kept.children
        encodedSize = kept.encodedSize
        garbage = 0
        return (promoted, right)
    }

    /// Appends `separator` and then all of `other`'s separators and children (a merge).
    func append(separator: UnsafeRawBufferPointer, contentsOf other: BranchNode) {
        appendSeparator(separator)
        for i in 0..<other.separatorCount { other.withSeparator(at: i) { appendSeparator($0) } }
        children.append(contentsOf: other.children)
        encodedSize += other.children.count * PageAddress.encodedSize
    }

    /// Appends a separator (building a node); the caller appends children.
    func appendSeparator(_ separator: UnsafeRawBufferPointer) {
        let hint = admit(separator)
        separators.append(Separator(offset: UInt32(keyHeap.count), length: UInt32(separator.count), hint: hint))
        keyHeap.append(contentsOf: separator)
        encodedSize += varintLength(UInt64(separator.count)) + separator.count
    }

    /// Appends a child (building a node).
    func appendChild(_ child: ChildRef) {
        children.append(child)
        encodedSize += PageAddress.encodedSize
    }

    // MARK: Prefix and hints

    /// Makes the prefix cover `separator` (shrinking it, and re-hinting every separator, if
    /// `separator` does not start with it) and returns its hint. Call before adding it.
    private func admit(_ separator: UnsafeRawBufferPointer) -> UInt32 {
        if separators.isEmpty {
            prefix = KeyPrefix(of: separator)
        } else if prefix.position(of: separator) != .within {
            prefix = prefix.narrowed(toInclude: separator)
            keyHeap.withUnsafeBytes { raw in
                for i in separators.indices {
                    let sep = separators[i]
                    separators[i].hint = prefix.hint(of: UnsafeRawBufferPointer(
                        rebasing: raw[Int(sep.offset)..<Int(sep.offset + sep.length)]))
                }
            }
        }
        return prefix.hint(of: separator)
    }
}

/// Where one separator of a ``BranchNode`` sits in its key heap, and its ``KeyPrefix`` hint.
struct Separator: Sendable {
    var offset: UInt32
    var length: UInt32
    var hint: UInt32
}
