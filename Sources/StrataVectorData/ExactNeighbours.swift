import StrataEngine
import StrataGraph

/// Exact nearest neighbours by comparing a query with every base vector: the reference a vector
/// index's recall is measured against (ground truth for sets without a truth file, or for a
/// filtered subset).
public enum ExactNeighbours {
    /// For each query, the indices of the `k` base rows nearest it under `metric` (smaller
    /// distance first, ties by lower index), among the rows `admits` accepts (all by default).
    /// A query gets fewer than `k` when fewer rows are admitted.
    ///
    /// - Throws: `invalidArgument` for k < 1; `dimensionMismatch` when the queries' dimension
    ///   differs from the base's.
    public static func search(
        base: VectorRows<Float>, queries: VectorRows<Float>, k: Int, metric: DistanceMetric,
        admits: (Int) -> Bool = { _ in true }
    ) throws -> [[Int]] {
        guard k >= 1 else { throw StrataErrorBuilder.invalidArgument("k must be at least 1, not \(k)") }
        guard base.dimension == queries.dimension else {
            throw VectorFileError.dimension(row: 0, has: queries.dimension, expected: base.dimension, path: nil)
        }
        let candidates = (0..<base.count).filter(admits)
        let dimension = base.dimension
        let norms = metric == .cosine ? (0..<base.count).map { VectorKernel.norm(base.values, row: $0, dimension: dimension) } : []
        var answers: [[Int]] = []
        answers.reserveCapacity(queries.count)
        for query in 0..<queries.count {
            let q = queries[query]
            let queryNorm = VectorKernel.norm(q, row: 0, dimension: dimension)
            var scored: [(distance: Float, index: Int)] = []
            scored.reserveCapacity(candidates.count)
            for index in candidates {
                let distance: Float
                switch metric {
                case .cosine:
                    let denominator = queryNorm * norms[index]
                    distance = denominator > 0 ? 1 - VectorKernel.dot(q, base.values, row: index, dimension: dimension) / denominator : 1
                case .dot:
                    distance = -VectorKernel.dot(q, base.values, row: index, dimension: dimension)
                case .l2:
                    distance = VectorKernel.squaredL2(q, base.values, row: index, dimension: dimension)
                }
                scored.append((distance, index))
            }
            scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
            answers.append(scored.prefix(k).map(\.index))
        }
        return answers
    }
}

/// Float32 kernels over one row of a flat array, eight lanes at a time. The only unsafe code of
/// the module: loads within `dimension` values of a row both buffers are checked to hold.
enum VectorKernel {
    private static func withRows<T>(
        _ query: [Float], _ values: [Float], row: Int, dimension: Int,
        _ body: (UnsafeRawPointer, UnsafeRawPointer) -> T
    ) -> T {
        precondition(query.count >= dimension && (row + 1) * dimension <= values.count, "row \(row) out of range")
        return query.withUnsafeBytes { q in
            values.withUnsafeBytes { v in body(q.baseAddress!, v.baseAddress! + row * dimension * 4) }
        }
    }

    static func dot(_ query: [Float], _ values: [Float], row: Int, dimension: Int) -> Float {
        withRows(query, values, row: row, dimension: dimension) { q, v in
            var sum = SIMD8<Float>()
            var index = 0
            while index + 8 <= dimension {
                sum += q.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                    * v.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                index += 8
            }
            var total = sum.sum()
            while index < dimension {
                total += q.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
                    * v.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
                index += 1
            }
            return total
        }
    }

    static func squaredL2(_ query: [Float], _ values: [Float], row: Int, dimension: Int) -> Float {
        withRows(query, values, row: row, dimension: dimension) { q, v in
            var sum = SIMD8<Float>()
            var index = 0
            while index + 8 <= dimension {
                let d = q.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                    - v.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                sum += d * d
                index += 8
            }
            var total = sum.sum()
            while index < dimension {
                let d = q.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
                    - v.loadUnaligned(fromByteOffset: index * 4, as: Float.self)
                total += d * d
                index += 1
            }
            return total
        }
    }

    /// The Euclidean norm of row `row`.
    static func norm(_ values: [Float], row: Int, dimension: Int) -> Float {
        var total: Float = 0
        for index in row * dimension..<(row + 1) * dimension { total += values[index] * values[index] }
        return total.squareRoot()
    }
}
