extension Transaction {
    /// The tree called `name`, owned by `owner`, created in this transaction with `settings` if
    /// it does not exist (see ``Database/ownedTree(_:owner:settings:)``).
    public func ownedTree(_ name: String, owner: TreeOwner, settings: TreeSettings = .default) throws -> Tree {
        guard isOpen else { throw StrataError(.closed, "the transaction is over; use it only inside its write closure") }
        try owner.validate()
        return try createTree(name, settings: settings, owner: owner)
    }

    /// Throws ``StrataError/Code/ownedTree`` unless `tree`'s handle may write it (checked by
    /// every write before anything is recorded).
    @inline(__always)
    func checkOwner(_ tree: Tree) throws {
        guard tree.isWritable else { throw Database.ownedTreeError(tree) }
    }
}
