/// A value as a leaf holds it: its bytes, or the address of the blob that has them.
enum StoredValue: Sendable {
    case inline([UInt8])
    case external(PageAddress, length: Int)

    /// The value's bytes, reading an out-of-line value through `store`.
    func resolve(_ store: PageStore) throws -> [UInt8] {
        switch self {
        case .inline(let bytes): return bytes
        case .external(let address, _): return try store.blob(address)
        }
    }

    static func read(_ leaf: LeafNode, at index: Int) -> StoredValue {
        let slot = leaf.slot(at: index)
        if slot.kind == .external, let address = leaf.externalAddress(at: index) {
            return .external(address, length: Int(slot.valueLength))
        }
        return .inline(Array(leaf.storedValue(at: index)))
    }
}
