import StrataEngine
import StrataGraph

extension VectorRows where Scalar == Float {
    /// Throws unless every row can be stored and searched under `metric`: no NaN or infinity
    /// (`nonFiniteVector`), and under cosine no all-zero row (`invalidArgument`: it has no
    /// direction). The error names the first bad row.
    public func checkSearchable(metric: DistanceMetric) throws {
        for row in 0..<count {
            var zero = true
            for value in values[row * dimension..<(row + 1) * dimension] {
                guard value.isFinite else {
                    throw StrataError(.nonFiniteVector, "row \(row) holds \(value)")
                }
                if value != 0 { zero = false }
            }
            if zero && metric == .cosine {
                throw StrataError(.invalidArgument, "row \(row) is all zeros, which has no direction under cosine")
            }
        }
    }
}
