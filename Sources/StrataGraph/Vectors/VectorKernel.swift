/// The distance kernels of the vector index, SIMD over Float32, on vectors prepared by
/// ``prepared(_:metric:)`` (unit length for cosine, so that every metric is one pass).
enum VectorKernel {
    /// `vector` as the index compares it: scaled to unit length for cosine, as given otherwise.
    static func prepared(_ vector: [Float], metric: DistanceMetric) -> [Float] {
        guard metric == .cosine else { return vector }
        let norm = dot(vector, vector).squareRoot()
        guard norm > 0, norm.isFinite else { return vector }
        return vector.map { $0 / norm }
    }

    /// The distance between two prepared vectors of one length (smaller is nearer): 1 − a·b for
    /// cosine, −a·b for dot, the squared Euclidean distance for l2.
    @inline(__always)
    static func distance(_ a: [Float], _ b: [Float], metric: DistanceMetric) -> Float {
        switch metric {
        case .cosine: 1 - dot(a, b)
        case .dot: -dot(a, b)
        case .l2: squaredDistance(a, b)
        }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let count = min(a.count, b.count)
                let x = UnsafeRawPointer(a.baseAddress)
                let y = UnsafeRawPointer(b.baseAddress)
                var sum0 = SIMD16<Float>()
                var sum1 = SIMD16<Float>()
                var index = 0
                if let x, let y {
                    while index + 32 <= count {
                        sum0 += x.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                            * y.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                        sum1 += x.loadUnaligned(fromByteOffset: index * 4 + 64, as: SIMD16<Float>.self)
                            * y.loadUnaligned(fromByteOffset: index * 4 + 64, as: SIMD16<Float>.self)
                        index += 32
                    }
                    while index + 16 <= count {
                        sum0 += x.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                            * y.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                        index += 16
                    }
                }
                var total = (sum0 + sum1).sum()
                while index < count {
                    total += a[index] * b[index]
                    index += 1
                }
                return total
            }
        }
    }

    static func squaredDistance(_ a: [Float], _ b: [Float]) -> Float {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let count = min(a.count, b.count)
                let x = UnsafeRawPointer(a.baseAddress)
                let y = UnsafeRawPointer(b.baseAddress)
                var sum0 = SIMD16<Float>()
                var sum1 = SIMD16<Float>()
                var index = 0
                if let x, let y {
                    while index + 32 <= count {
                        let d0 = x.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                            - y.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                        let d1 = x.loadUnaligned(fromByteOffset: index * 4 + 64, as: SIMD16<Float>.self)
                            - y.loadUnaligned(fromByteOffset: index * 4 + 64, as: SIMD16<Float>.self)
                        sum0 += d0 * d0
                        sum1 += d1 * d1
                        index += 32
                    }
                    while index + 16 <= count {
                        let d = x.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                            - y.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                        sum0 += d * d
                        index += 16
                    }
                }
                var total = (sum0 + sum1).sum()
                while index < count {
                    let d = a[index] - b[index]
                    total += d * d
                    index += 1
                }
                return total
            }
        }
    }
}
