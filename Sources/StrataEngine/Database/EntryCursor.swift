/// A lazy walk that yields elements one by one and may throw (an I/O failure, a closed database).
///
/// The engine's cursors over entries (``EntryCursor``) are cursors, and so are the adapters
/// that ``map(_:)`` and ``filter(_:)`` return, so reading code can chain them as it would a
/// `Sequence` (GRDB's `Cursor` is the model):
///
/// ```swift
/// let names = try Array(tree.scan(prefix: Array("user:".utf8)).map { String(decoding: $0.value, as: UTF8.self) })
/// var cursor = try tree.range(from: start)
/// let firstLarge = try cursor.first { $0.value.count > 1024 }
/// ```
///
/// A cursor is a value: the methods that read elements are `mutating` and move it on;
/// ``map(_:)`` and ``filter(_:)`` wrap a copy.
public protocol Cursor<Element> {
    /// What the cursor yields.
    associatedtype Element

    /// The next element, or nil when the cursor is exhausted.
    mutating func next() throws -> Element?
}

extension Cursor {
    /// Calls `body` for each remaining element.
    public mutating func forEach(_ body: (Element) throws -> Void) throws {
        while let element = try next() { try body(element) }
    }

    /// The remaining elements, up to `limit` (the cursor stays after the last one returned,
    /// so a later call reads the next page).
    public mutating func collect(limit: Int = .max) throws -> [Element] {
        var elements: [Element] = []
        while elements.count < limit, let element = try next() { elements.append(element) }
        return elements
    }

    /// The first remaining element that satisfies `predicate`, or nil; the cursor stays just
    /// after it.
    public mutating func first(where predicate: (Element) throws -> Bool) throws -> Element? {
        while let element = try next() {
            if try predicate(element) { return element }
        }
        return nil
    }

    /// Whether a remaining element satisfies `predicate` (stops at the first that does).
    public mutating func contains(where predicate: (Element) throws -> Bool) throws -> Bool {
        try first(where: predicate) != nil
    }

    /// A lazy cursor over `transform` of each remaining element.
    public func map<T>(_ transform: @escaping (Element) throws -> T) -> MapCursor<Self, T> {
        MapCursor(base: self, transform: transform)
    }

    /// A lazy cursor over the remaining elements that satisfy `isIncluded`.
    public func filter(_ isIncluded: @escaping (Element) throws -> Bool) -> FilterCursor<Self> {
        FilterCursor(base: self, isIncluded: isIncluded)
    }
}

extension Array {
    /// Every remaining element of `cursor`, in order.
    ///
    /// ```swift
    /// let entries = try Array(tree.scan(prefix: prefix))
    /// ```
    public init<C: Cursor>(_ cursor: C) throws where C.Element == Element {
        var cursor = cursor
        self = try cursor.collect()
    }
}

/// A cursor over the entries of a key range of one tree, in key order or in reverse.
///
/// ``TreeCursor`` (a tree's latest commit or a snapshot) and ``TransactionCursor`` (a tree
/// with a transaction's pending writes) are entry cursors; code written against this protocol
/// runs on both.
public protocol EntryCursor: Cursor where Element == Entry {
    /// Moves the cursor so that the next entry is the first one at or after `key` in the
    /// cursor's direction (ascending: the first key `>= key`; in reverse: the first key
    /// `<= key`), never outside the cursor's range. It may move backwards too.
    mutating func seek(to key: [UInt8]) throws

    /// Calls `body` with the key and value bytes of each remaining entry, lent without copying
    /// where the cursor can (valid only during the call), until the range ends or `body`
    /// returns false.
    mutating func forEachBorrowed(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws

    /// Walks the rest of the range and returns how many entries it holds, without reading
    /// their values (it still visits every leaf of the range: O(entries)).
    mutating func countRemaining() throws -> Int
}

extension KeyBound {
    /// The tighter of this start bound and "from `key` on" in a walk's direction: the start
    /// of a range after a ``EntryCursor/seek(to:)``.
    func narrowed(toStartAt key: [UInt8], reverse: Bool) -> KeyBound {
        switch self {
        case .unbounded:
            return .included(key)
        case .included(let bound), .excluded(let bound):
            let order = compareKeys(key, bound)
            return (reverse ? order < 0 : order > 0) ? .included(key) : self
        }
    }
}
