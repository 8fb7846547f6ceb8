import StrataEngine

extension GraphTransaction {
    /// The engine transaction underneath, so that a layer above the graph can write its own
    /// trees (opened with its own ``TreeOwner``) in the same atomic commit as the graph's
    /// records: a task queued with the message it is about commits with it or not at all, and a
    /// tier move's marker commits with the records it copies.
    ///
    /// The graph's trees stay owned by the graph layer: writing them through this transaction
    /// with another handle throws `ownedTree`.
    public var engineTransaction: Transaction { transaction }
}
