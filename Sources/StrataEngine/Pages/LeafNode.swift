/// How a leaf entry's value is held.
enum ValueKind: UInt8, Sendable {
    /// The value's bytes are in the leaf.
    case inline = 0
    /// The leaf holds the ``PageAddress`` of a blob page with the value.
    case external = 1
}

/// One entry of a leaf: where its key and value sit in the leaf's byte heap.
struct LeafSlot: Sendable {
    var offset: UInt32
    var keyLength: UInt16
    var kind: ValueKind
    /// The value's real length (for an external value, the blob's length, not the address's).
    var valueLength: UInt32
    /// The key's ``KeyPrefix`` hint under the leaf's prefix.
    var hint: UInt32 = 0

    var storedValueLength: Int {
        kind == .external ? PageAddress.encodedSize : Int(valueLength)
    }
}

/// A B+tree leaf: sorted entries whose keys and values live in one contiguous byte heap
/// (no heap object per entry). New entries are appended to the heap and their slot inserted
/// in key order; dead bytes are reclaimed when the node is copied.
// @unchecked because, as for every PageNode, it is mutated only by the writer while uniquely
// referenced, and never changes once shared.
final class LeafNode: PageNode, @unchecked Sendable {
    // Exclusivity is guaranteed by design (the writer lock, and mutation only of uniquely
    // referenced nodes), so the runtime's dynamic access checks are skipped on these buffers.
    @exclusivity(unchecked) private(set) var heap: [UInt8]
    @exclusivity(unchecked) private(set) var slots: [LeafSlot]
    /// A prefix every key here starts with; the slots hold each key's hint under it.
    @exclusivity(unchecked) private(set) var prefix: KeyPrefix
    /// Bytes of the heap no slot points at.
    @exclusivity(unchecked) private(set) var garbage: Int
    /// The size this leaf will have when encoded (values above the large-value threshold
    /// counted as out-of-line references).
    @exclusivity(unchecked) private(set) var encodedSize: Int
    let largeValueThreshold: Int

    static let headerSize = 24

    init(largeValueThreshold: Int) {
        heap = []
        slots = []
        prefix = KeyPrefix()
        garbage = 0
        encodedSize = LeafNode.headerSize
        self.largeValueThreshold = largeValueThreshold
        super.init(kind: .leaf)
    }

    init(heap: [UInt8], slots: [LeafSlot], garbage: Int, largeValueThreshold: Int) {
        self.heap = heap
        self.slots = slots
        self.prefix = KeyPrefix()
        self.garbage = garbage
        self.largeValueThreshold = largeValueThreshold
        self.encodedSize = LeafNode.headerSize
        super.init(kind: .leaf)
        for slot in slots { encodedSize += entryEncodedSize(slot) }
        resetPrefix()
    }

    /// A private copy the writer may mutate, compacted when more than an eighth of its heap
    /// is dead.
    ///
    /// A leaf decoded from a page keeps the entries' length varints in its heap as dead bytes
    /// (a few per entry): such a leaf is copied as it is, in two bulk copies, rather than entry
    /// by entry (which re-hints every key), since the first write to a leaf read from disk
    /// makes this copy. The copy owns its buffers outright, sized with a little headroom, so
    /// that its first inserts neither copy a shared buffer nor double its capacity: dirty
    /// memory stays close to what the dirty budget counts.
    func copy() -> LeafNode {
        let live = heap.count - garbage
        let node = LeafNode(largeValueThreshold: largeValueThreshold)
        node.slots.reserveCapacity(slots.count + slots.count / 4 + 4)
        if garbage * 8 <= heap.count {
            node.heap.reserveCapacity(heap.count + live / 4 + 256)
            node.heap.append(contentsOf: heap)
            node.slots.append(contentsOf: slots)
            node.prefix = prefix
            node.garbage = garbage
            node.encodedSize = encodedSize
        } else {
            node.heap.reserveCapacity(live + live / 4 + 256)
            for i in slots.indices { node.appendEntry(from: self, at: i) }
        }
        return node
    }

    override var memoryFootprint: Int { heap.capacity + slots.capacity * MemoryLayout<LeafSlot>.stride + 96 }

    var count: Int { slots.count }

    // MARK: Reading

    @inline(__always)
    func withKey<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let slot = slots[index]
        return try heap.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[Int(slot.offset)..<Int(slot.offset) + Int(slot.keyLength)]))
        }
    }

    func key(at index: Int) -> [UInt8] {
        let slot = slots[index]
        let start = Int(slot.offset)
        return Array(heap[start..<start + Int(slot.keyLength)])
    }

    func slot(at index: Int) -> LeafSlot { slots[index] }

    /// The stored value bytes: the value itself, or the encoded address for an external value.
    func storedValue(at index: Int) -> ArraySlice<UInt8> {
        let slot = slots[index]
        let start = Int(slot.offset) + Int(slot.keyLength)
        return heap[start..<start + slot.storedValueLength]
    }

    /// Lends the stored value bytes of entry `index` in place, without copying.
    @inline(__always)
    func withStoredValue<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let slot = slots[index]
        let start = Int(slot.offset) + Int(slot.keyLength)
        return try heap.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<start + slot.storedValueLength]))
        }
    }

    func externalAddress(at index: Int) -> PageAddress? {
        guard slots[index].kind == .external else { return nil }
        var reader = ByteReader(Array(storedValue(at: index)))
        return try? PageAddress.decode(from: &reader)
    }

    /// Binary search: the index of `key`, or where it would be inserted.
    ///
    /// Compares hints in the slot array and reads keys from the heap only on a tie.
    func search(_ key: UnsafeRawBufferPointer) -> (index: Int, found: Bool) {
        let count = slots.count
        if count == 0 { return (0, false) }
        switch prefix.position(of: key) {
        case .below: return (0, false)
        case .above: return (count, false)
        case .within: break
        }
        let hint = prefix.hint(of: key)
        return heap.withUnsafeBytes { raw in
            slots.withUnsafeBufferPointer { slots in
                var low = 0
                var high = count
                while low < high {
                    let mid = (low + high) >> 1
                    let slot = slots[mid]
                    if slot.hint != hint {
                        if slot.hint < hint { low = mid + 1 } else { high = mid }
                        continue
                    }
                    let start = Int(slot.offset)
                    let order = compareBytes(UnsafeRawBufferPointer(rebasing: raw[start..<start + Int(slot.keyLength)]), key)
                    if order == 0 { return (mid, true) }
                    if order < 0 { low = mid + 1 } else { high = mid }
                }
                return (low, false)
            }
        }
    }

    // MARK: Writing (only on a uniquely referenced node)

    /// Reserves heap room for about `bytes` of entries, so a growing leaf does not double its
    /// buffer past what a page holds.
    func reserve(bytes: Int) {
        heap.reserveCapacity(bytes)
        slots.reserveCapacity(bytes / 64)
    }

    /// Inserts an inline entry (the writer only ever stores values inline; a checkpoint moves
    /// large ones out of line).
    func insert(at index: Int, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let hint = admit(key)
        let offset = UInt32(heap.count)
        heap.append(contentsOf: key)
        heap.append(contentsOf: value)
        let slot = LeafSlot(
            offset: offset, keyLength: UInt16(key.count), kind: .inline, valueLength: UInt32(value.count), hint: hint)
        slots.insert(slot, at: index)
        encodedSize += entryEncodedSize(slot)
    }

    /// Replaces the value at `index` with an inline value, keeping the key.
    func replaceValue(at index: Int, value: UnsafeRawBufferPointer) {
        let old = slots[index]
        encodedSize -= entryEncodedSize(old)
        if old.kind == .inline, value.count == old.storedValueLength {
            let start = Int(old.offset) + Int(old.keyLength)
            heap.withUnsafeMutableBytes { raw in
                UnsafeMutableRawBufferPointer(rebasing: raw[start..<start + value.count]).copyMemory(from: value)
            }
            encodedSize += entryEncodedSize(old)
            return
        }
        let offset = UInt32(heap.count)
        let keyStart = Int(old.offset)
        heap.append(contentsOf: heap[keyStart..<keyStart + Int(old.keyLength)])
        heap.append(contentsOf: value)
        garbage += Int(old.keyLength) + old.storedValueLength
        let slot = LeafSlot(
            offset: offset, keyLength: old.keyLength, kind: .inline, valueLength: UInt32(value.count), hint: old.hint)
        slots[index] = slot
        encodedSize += entryEncodedSize(slot)
        compactIfWasteful()
    }

    func remove(at index: Int) {
        let old = slots.remove(at: index)
        garbage += Int(old.keyLength) + old.storedValueLength
        encodedSize -= entryEncodedSize(old)
        compactIfWasteful()
    }

    /// Moves the entries from `index` on into a new leaf and returns it.
    func split(at index: Int) -> LeafNode {
        let right = LeafNode(largeValueThreshold: largeValueThreshold)
        let moved = slots[index...].reduce(0) { $0 + Int($1.keyLength) + $1.storedValueLength }
        right.heap.reserveCapacity(moved + moved / 4 + 256)
        right.slots.reserveCapacity((slots.count - index) * 5 / 4 + 4)
        for i in index..<slots.count { right.appendEntry(from: self, at: i) }
        for slot in slots[index...] {
            garbage += Int(slot.keyLength) + slot.storedValueLength
            encodedSize -= entryEncodedSize(slot)
        }
        slots.removeSubrange(index...)
        compact(headroom: true)
        return right
    }

    /// Appends every entry of `other`, whose keys all sort after this leaf's.
    func append(contentsOf other: LeafNode) {
        for i in other.slots.indices { appendEntry(from: other, at: i) }
    }

    private func appendEntry(from other: LeafNode, at index: Int) {
        let slot = other.slots[index]
        let start = Int(slot.offset)
        let length = Int(slot.keyLength) + slot.storedValueLength
        var copied = slot
        copied.hint = other.withKey(at: index) { admit($0) }
        copied.offset = UInt32(heap.count)
        heap.append(contentsOf: other.heap[start..<start + length])
        slots.append(copied)
        encodedSize += entryEncodedSize(copied)
    }

    private func compactIfWasteful() {
        guard garbage > 4096, garbage * 2 > heap.count else { return }
        compact(headroom: false)
    }

    /// Rewrites the heap without dead bytes, into a buffer sized to the live bytes (plus a
    /// quarter when more inserts are expected), releasing the old buffer's capacity.
    private func compact(headroom: Bool) {
        let live = heap.count - garbage
        var newHeap: [UInt8] = []
        newHeap.reserveCapacity(headroom ? live + live / 4 + 256 : live)
        for i in slots.indices {
            let slot = slots[i]
            let start = Int(slot.offset)
            slots[i].offset = UInt32(newHeap.count)
            newHeap.append(contentsOf: heap[start..<start + Int(slot.keyLength) + slot.storedValueLength])
        }
        heap = newHeap
        garbage = 0
        resetPrefix()
        if slots.capacity > slots.count * 2 + 8 {
            var newSlots: [LeafSlot] = []
            newSlots.reserveCapacity(slots.count + slots.count / 4 + 4)
            newSlots.append(contentsOf: slots)
            slots = newSlots
        }
    }

    /// Appends an entry whose value is already stored out of line (building a clean leaf).
    func appendExternal(key: UnsafeRawBufferPointer, address: PageAddress, valueLength: Int) {
        var writer = ByteWriter(capacity: PageAddress.encodedSize)
        address.encode(into: &writer)
        let slot = LeafSlot(
            offset: UInt32(heap.count), keyLength: UInt16(key.count), kind: .external,
            valueLength: UInt32(valueLength), hint: admit(key))
        heap.append(contentsOf: key)
        heap.append(contentsOf: writer.bytes)
        slots.append(slot)
        encodedSize += entryEncodedSize(slot)
    }

    /// Appends a copy of entry `index` of `other` (building a clean leaf).
    func appendCopy(of other: LeafNode, at index: Int) { appendEntry(from: other, at: index) }

    // MARK: Prefix and hints

    /// Makes the prefix cover `key` (shrinking it, and re-hinting every slot, if `key` does not
    /// start with it) and returns `key`'s hint. Call before adding `key`'s slot.
    private func admit(_ key: UnsafeRawBufferPointer) -> UInt32 {
        if slots.isEmpty {
            prefix = KeyPrefix(of: key)
        } else if prefix.position(of: key) != .within {
            prefix = prefix.narrowed(toInclude: key)
            rehint()
        }
        return prefix.hint(of: key)
    }

    /// Sets the prefix to the longest one the keys share, and every slot's hint under it.
    private func resetPrefix() {
        guard let last = slots.indices.last else {
            prefix = KeyPrefix()
            return
        }
        prefix = withKey(at: 0) { first in withKey(at: last) { KeyPrefix(first: first, last: $0) } }
        rehint()
    }

    private func rehint() {
        heap.withUnsafeBytes { raw in
            for i in slots.indices {
                let start = Int(slots[i].offset)
                slots[i].hint = prefix.hint(of: UnsafeRawBufferPointer(rebasing: raw[start..<start + Int(slots[i].keyLength)]))
            }
        }
    }

    /// Bytes an entry takes in the encoded page.
    @inline(__always)
    func entryEncodedSize(_ slot: LeafSlot) -> Int {
        let stored: Int
        if slot.kind == .external || Int(slot.valueLength) > largeValueThreshold {
            stored = PageAddress.encodedSize
        } else {
            stored = Int(slot.valueLength)
        }
        return 1 + varintLength(UInt64(slot.keyLength)) + varintLength(UInt64(slot.valueLength) << 1)
            + Int(slot.keyLength) + stored
    }
}
