/// A lazy cursor over the elements of another cursor, transformed; see ``Cursor/map(_:)``.
public struct MapCursor<Base: Cursor, Element>: Cursor {
    private var base: Base
    private let transform: (Base.Element) throws -> Element

    init(base: Base, transform: @escaping (Base.Element) throws -> Element) {
        self.base = base
        self.transform = transform
    }

    /// The next element of the base cursor, transformed, or nil when it is exhausted.
    public mutating func next() throws -> Element? {
        guard let element = try base.next() else { return nil }
        return try transform(element)
    }
}

/// A lazy cursor over the elements of another cursor that satisfy a predicate; see
/// ``Cursor/filter(_:)``.
public struct FilterCursor<Base: Cursor>: Cursor {
    private var base: Base
    private let isIncluded: (Base.Element) throws -> Bool

    init(base: Base, isIncluded: @escaping (Base.Element) throws -> Bool) {
        self.base = base
        self.isIncluded = isIncluded
    }

    /// The next element of the base cursor that satisfies the predicate, or nil.
    public mutating func next() throws -> Base.Element? {
        try base.first(where: isIncluded)
    }
}
