/// Up to `capacity` key-value pairs laid out in one reusable byte buffer, so
/// that filling a batch in a timed loop allocates nothing once it has grown.
public struct WriteBatch: ~Copyable {
    @usableFromInline var storage: UnsafeMutableRawBufferPointer
    @usableFromInline var used = 0
    /// Per entry: where the key starts, its length, and the value's length (it follows the key).
    @usableFromInline var entries: UnsafeMutablePointer<(offset: Int, keyLength: Int, valueLength: Int)>
    /// The number of entries the batch can hold.
    public let capacity: Int
    @usableFromInline var _count = 0
    /// The number of entries in the batch.
    public var count: Int { _count }

    /// An empty batch of up to `capacity` entries, with room for
    /// `bytesPerEntry` bytes of key and value each before it grows.
    public init(capacity: Int, bytesPerEntry: Int = WorkloadData.missingKeyLength + WorkloadData.valueLength) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage = .allocate(byteCount: capacity * bytesPerEntry, alignment: 16)
        entries = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
        entries.deallocate()
    }

    /// True if the batch holds no entry.
    public var isEmpty: Bool { count == 0 }

    /// Empties the batch, keeping its memory.
    public mutating func removeAll() {
        used = 0
        _count = 0
    }

    /// Appends an entry whose key and value `fill` writes in place.
    @inlinable
    public mutating func append(
        keyLength: Int,
        valueLength: Int,
        _ fill: (_ key: UnsafeMutableRawBufferPointer, _ value: UnsafeMutableRawBufferPointer) -> Void
    ) {
        precondition(_count < capacity, "WriteBatch is full")
        let needed = used + keyLength + valueLength
        if needed > storage.count {
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: max(needed, storage.count * 2), alignment: 16)
            grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<used]))
            storage.deallocate()
            storage = grown
        }
        let key = UnsafeMutableRawBufferPointer(rebasing: storage[used..<(used + keyLength)])
        let value = UnsafeMutableRawBufferPointer(rebasing: storage[(used + keyLength)..<needed])
        fill(key, value)
        entries[_count] = (used, keyLength, valueLength)
        used = needed
        _count += 1
    }

    /// Appends a copy of `key` and `value`.
    public mutating func append(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        append(keyLength: key.count, valueLength: value.count) { k, v in
            k.copyMemory(from: key)
            v.copyMemory(from: value)
        }
    }

    /// Appends `key(i) -> value(i, gen)`.
    @inlinable
    public mutating func append(index i: UInt64, gen: UInt64, data: WorkloadData) {
        append(keyLength: WorkloadData.keyLength, valueLength: WorkloadData.valueLength) { key, value in
            WorkloadData.writeKey(i, into: key)
            data.writeValue(i, gen: gen, into: value)
        }
    }

    /// Calls `body` with each key and value in order, lent for the call.
    @inlinable
    public func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) rethrows {
        let base = UnsafeRawBufferPointer(storage)
        for e in 0..<_count {
            let entry = entries[e]
            let keyEnd = entry.offset + entry.keyLength
            try body(
                UnsafeRawBufferPointer(rebasing: base[entry.offset..<keyEnd]),
                UnsafeRawBufferPointer(rebasing: base[keyEnd..<(keyEnd + entry.valueLength)])
            )
        }
    }
}
