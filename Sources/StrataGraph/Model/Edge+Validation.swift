extension Edge {
    /// Checks the edge as ``GraphTransaction/addEdge(_:)`` does before storing it (ids, type
    /// name, finite weight, timestamps in range, properties), without a store: for layers that
    /// keep edges of their own (StrataTiers' edges across tiers).
    ///
    /// - Throws: `invalidField` (or the id's own error) for a bad field.
    public func validate() throws {
        try NodeValidation.check(self)
    }
}
