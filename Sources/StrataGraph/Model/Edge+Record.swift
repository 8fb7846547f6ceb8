extension Edge {
    /// The edge's record as `graph.edges` stores it (FORMAT.md, "Edge records"): weight,
    /// properties and validity, not its ends or type (the key holds those). For a layer that
    /// keeps edges outside a store (StrataTiers' edges across tiers).
    public var recordBytes: [UInt8] {
        EdgeCodec.encode(self)
    }

    /// The edge `from -type-> to` whose record is `bytes` (``recordBytes``).
    ///
    /// - Throws: `corruption` for bytes that are not an edge record.
    public init(record bytes: [UInt8], from: NodeID, type: EdgeType, to: NodeID) throws {
        self = try EdgeCodec.decode(bytes, from: from, type: type, to: to)
    }
}
