/// The plain in-memory model the engine is checked against: named trees, each an ordered map
/// from byte-string keys to byte-string values, keys ordered bytewise (unsigned, shorter first
/// when one is a prefix of the other).
///
/// Deliberately simple (sorted arrays and binary search), so that it is obviously right.
/// Reading a tree that does not exist behaves like reading an empty one.
public struct ReferenceModel: Sendable, Equatable {
    /// Each tree's entries, sorted by key.
    private var trees: [String: [Entry]] = [:]

    /// Creates a model with no trees.
    public init() {}

    /// The names of the trees, sorted.
    public var treeNames: [String] { trees.keys.sorted() }

    /// Whether a tree named `tree` exists.
    public func contains(tree: String) -> Bool { trees[tree] != nil }

    /// Creates the tree if it does not exist.
    public mutating func createTree(_ tree: String) {
        if trees[tree] == nil { trees[tree] = [] }
    }

    /// Removes the tree and everything in it; returns whether it existed.
    @discardableResult
    public mutating func drop(_ tree: String) -> Bool {
        trees.removeValue(forKey: tree) != nil
    }

    /// Removes every entry of the tree, keeping the tree.
    public mutating func clear(_ tree: String) {
        if trees[tree] != nil { trees[tree] = [] }
    }

    /// Stores `value` under `key` (creating the tree if needed); returns the value it replaced.
    @discardableResult
    public mutating func insert(_ value: [UInt8], forKey key: [UInt8], in tree: String) -> [UInt8]? {
        var entries = trees.removeValue(forKey: tree) ?? []
        defer { trees[tree] = entries }
        let index = Self.lowerBound(of: key, in: entries)
        if index < entries.count && entries[index].key == key {
            defer { entries[index].value = value }
            return entries[index].value
        }
        entries.insert(Entry(key: key, value: value), at: index)
        return nil
    }

    /// Removes `key`; returns the value it had.
    @discardableResult
    public mutating func remove(_ key: [UInt8], from tree: String) -> [UInt8]? {
        guard var entries = trees.removeValue(forKey: tree) else { return nil }
        defer { trees[tree] = entries }
        let index = Self.lowerBound(of: key, in: entries)
        guard index < entries.count && entries[index].key == key else { return nil }
        return entries.remove(at: index).value
    }

    /// The value stored under `key`, if any.
    public func get(_ key: [UInt8], in tree: String) -> [UInt8]? {
        let entries = trees[tree] ?? []
        let index = Self.lowerBound(of: key, in: entries)
        return index < entries.count && entries[index].key == key ? entries[index].value : nil
    }

    /// The number of entries in the tree.
    public func count(in tree: String) -> Int { trees[tree]?.count ?? 0 }

    /// The entry with the smallest key.
    public func first(in tree: String) -> Entry? { trees[tree]?.first }

    /// The entry with the largest key.
    public func last(in tree: String) -> Entry? { trees[tree]?.last }

    /// Every entry of the tree, in key order.
    public func entries(in tree: String) -> [Entry] { trees[tree] ?? [] }

    /// The entries whose keys lie between `lower` and `upper` (a nil bound is open), in key
    /// order or, with `reverse`, in descending order.
    public func range(
        in tree: String, lower: [UInt8]? = nil, lowerInclusive: Bool = true,
        upper: [UInt8]? = nil, upperInclusive: Bool = false, reverse: Bool = false
    ) -> [Entry] {
        let entries = trees[tree] ?? []
        var start = 0
        if let lower {
            start = Self.lowerBound(of: lower, in: entries)
            if !lowerInclusive, start < entries.count, entries[start].key == lower { start += 1 }
        }
        var end = entries.count
        if let upper {
            end = Self.lowerBound(of: upper, in: entries)
            if upperInclusive, end < entries.count, entries[end].key == upper { end += 1 }
        }
        guard start < end else { return [] }
        let selected = entries[start..<end]
        return reverse ? selected.reversed() : Array(selected)
    }

    /// The entries whose keys start with `prefix`, in key order or, with `reverse`, descending.
    public func prefix(_ prefix: [UInt8], in tree: String, reverse: Bool = false) -> [Entry] {
        let entries = trees[tree] ?? []
        let start = Self.lowerBound(of: prefix, in: entries)
        var end = start
        while end < entries.count && entries[end].key.starts(with: prefix) { end += 1 }
        let selected = entries[start..<end]
        return reverse ? selected.reversed() : Array(selected)
    }

    /// Bytewise order of keys.
    public static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.lexicographicallyPrecedes(right)
    }

    /// The index of the first entry whose key is not less than `key`.
    private static func lowerBound(of key: [UInt8], in entries: [Entry]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if precedes(entries[middle].key, key) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
