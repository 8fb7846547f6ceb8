extension Database {
    /// The tree called `name`, owned by `owner`, created with `settings` if it does not exist.
    ///
    /// The handle returned writes the tree; handles from ``tree(_:settings:)`` and
    /// ``existingTree(_:)`` (any caller without the owner) only read it. The owner is persisted
    /// with the tree and survives reopen.
    ///
    /// ```swift
    /// let graph = TreeOwner("strata.graph")
    /// let nodes = try db.ownedTree("graph.nodes", owner: graph)
    /// try db.write { tx in try tx.insert(record, forKey: id, in: nodes) }   // allowed
    /// try db.tree("graph.nodes").insert(record, forKey: id)                  // throws .ownedTree
    /// ```
    ///
    /// - Throws: ``StrataError/Code/ownedTree`` if `name` exists without this owner (unowned
    ///   or owned by another), `invalidArgument` for a bad name, owner id or settings, or
    ///   settings other than the default that differ from the existing tree's.
    public func ownedTree(_ name: String, owner: TreeOwner, settings: TreeSettings = .default) throws -> Tree {
        try openTree(name, settings: settings, owner: owner)
    }

    /// Deletes the tree called `name`, which `owner` owns, and everything in it. Returns false
    /// if there was none. Throws ``StrataError/Code/ownedTree`` if another owner has it.
    @discardableResult
    public func dropTree(_ name: String, owner: TreeOwner) throws -> Bool {
        try write { tx in try tx.dropTree(name, owner: owner) }
    }

    /// A handle to `name`, creating it with `settings` and `owner` if absent.
    func openTree(_ name: String, settings: TreeSettings, owner: TreeOwner?) throws -> Tree {
        try Tree.validate(name: name)
        try owner?.validate()
        try settings.validate(pageSize: configuration.pageSize)
        if let existing = try treeState(named: name) {
            return try handle(of: existing, settings: settings, owner: owner)
        }
        return try write { tx in try tx.createTree(name, settings: settings, owner: owner) }
    }

    /// The published state of the tree called `name`, if it exists.
    func treeState(named name: String) throws -> TreeState? {
        try published.withLock { s in
            guard !s.closed else { throw closedError() }
            return s.tree(named: name)
        }
    }

    /// A handle to an existing tree for a caller presenting `owner` and `settings`: writable
    /// when the owners match; an owner asking for a tree it does not own is refused.
    func handle(of tree: TreeState, settings: TreeSettings, owner: TreeOwner?) throws -> Tree {
        if let owner, tree.owner != owner.id {
            throw StrataError(
                .ownedTree,
                "tree \(tree.name) exists and is \(tree.owner.map { "owned by \($0)" } ?? "not owned"), not owned by \(owner)")
        }
        guard settings.isDefault || settings == tree.settings else {
            throw StrataError.invalidArgument(
                "tree \(tree.name) exists with other settings (\(tree.settings)) than those asked for (\(settings))")
        }
        return Tree(database: self, id: tree.id, name: tree.name, isWritable: tree.owner == owner?.id)
    }

    /// The error a write through a read-only handle of an owned tree throws.
    static func ownedTreeError(_ tree: Tree) -> StrataError {
        StrataError(
            .ownedTree, "tree \(tree.name) is owned by a layer: write it through that layer's handle (Database.ownedTree)")
    }
}
