/// Equal-length rows of scalars stored end to end: the vectors of an fvecs file (`Float`) or the
/// neighbour lists of an ivecs file (`Int32`).
public struct VectorRows<Scalar: TexmexScalar>: Sendable, Equatable {
    /// How many values each row has (at least 1).
    public let dimension: Int
    /// Every row's values, row after row (`count × dimension` of them).
    public private(set) var values: [Scalar]

    /// Rows of `dimension` values taken from `values`, in order.
    ///
    /// - Throws: `invalidArgument` when `dimension` < 1 or `values` is not a whole number of rows.
    public init(dimension: Int, values: [Scalar]) throws {
        guard dimension >= 1 else {
            throw StrataErrorBuilder.invalidArgument("a row needs at least one value, not \(dimension)")
        }
        guard values.count % dimension == 0 else {
            throw StrataErrorBuilder.invalidArgument("\(values.count) values are not whole rows of \(dimension)")
        }
        self.dimension = dimension
        self.values = values
    }

    /// Rows from an array of rows, each `dimension` long.
    ///
    /// - Throws: `dimensionMismatch` for a row of another length; `invalidArgument` for `dimension` < 1.
    public init(dimension: Int, rows: [[Scalar]]) throws {
        var values: [Scalar] = []
        values.reserveCapacity(rows.count * max(dimension, 0))
        for (index, row) in rows.enumerated() {
            guard row.count == dimension else {
                throw VectorFileError.dimension(row: index, has: row.count, expected: dimension, path: nil)
            }
            values += row
        }
        try self.init(dimension: dimension, values: values)
    }

    /// How many rows there are.
    public var count: Int { values.count / dimension }

    /// Row `index` (0-based) as an array.
    public subscript(index: Int) -> [Scalar] {
        precondition(index >= 0 && index < count, "row \(index) of \(count)")
        return Array(values[index * dimension..<(index + 1) * dimension])
    }

    /// The first `count` rows (all of them if there are fewer).
    public func prefix(_ count: Int) -> VectorRows {
        var copy = self
        copy.values = Array(values.prefix(max(0, count) * dimension))
        return copy
    }
}
