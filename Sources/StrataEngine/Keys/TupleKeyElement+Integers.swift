/// Every standard integer type encodes the same way: equal values give equal keys.

extension Int: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `Int`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension Int8: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `Int8`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension Int16: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `Int16`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension Int32: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `Int32`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension Int64: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `Int64`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension UInt: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `UInt`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension UInt8: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `UInt8`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension UInt16: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `UInt16`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension UInt32: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `UInt32`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension UInt64: TupleKeyElement {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }
    /// The integer `element` holds, when it fits a `UInt64`.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}
