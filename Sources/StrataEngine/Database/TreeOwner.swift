/// The layer that owns a tree: only handles obtained with the same owner may write it.
///
/// A layer above the engine (StrataGraph, an index) creates the trees it maintains with
/// ``Database/ownedTree(_:owner:settings:)``; the owner's id is persisted with the tree. Anyone
/// else gets a read-only handle from ``Database/tree(_:settings:)``, whose writes (through the
/// handle, inside ``Database/write(durability:_:)``, ``Tree/clear(durability:)``) throw
/// ``StrataError/Code/ownedTree``, and ``Database/dropTree(_:)`` of an owned tree throws the same.
/// This guards a layer's indexes against accidental writes by ordinary callers; it is not a
/// security boundary (a caller that knows the owner id can present it).
public struct TreeOwner: Sendable, Hashable, CustomStringConvertible {
    /// The owner's stable id, such as `"strata.graph"`: 1 to 255 bytes of UTF-8.
    public let id: String

    /// An owner token for the layer called `id`.
    public init(_ id: String) {
        self.id = id
    }

    public var description: String { id }

    /// Throws `invalidArgument` for an empty id or one over 255 bytes.
    func validate() throws {
        let length = id.utf8.count
        guard length > 0, length <= Limits.maxTreeNameLength else {
            throw StrataError.invalidArgument("tree owner ids must be 1 ... \(Limits.maxTreeNameLength) bytes of UTF-8")
        }
    }
}
