/// Every standard integer type encodes the same way: equal values give equal keys.
extension TupleKeyElement where Self: FixedWidthInteger {
    /// An integer element.
    public var tupleElement: TupleKey.Element { TupleKey.Element(integer: self) }

    /// The integer `element` holds, when it fits this type.
    public init?(tupleElement: TupleKey.Element) {
        switch tupleElement {
        case .integer(let value): self.init(exactly: value)
        case .unsignedInteger(let value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension Int: TupleKeyElement {}
extension Int8: TupleKeyElement {}
extension Int16: TupleKeyElement {}
extension Int32: TupleKeyElement {}
extension Int64: TupleKeyElement {}
extension UInt: TupleKeyElement {}
extension UInt8: TupleKeyElement {}
extension UInt16: TupleKeyElement {}
extension UInt32: TupleKeyElement {}
extension UInt64: TupleKeyElement {}
