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

    /// ``distance(_:_:metric:)`` on `count` floats in place (the search cache's rows).
    @inline(__always)
    static func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, metric: DistanceMetric) -> Float {
        switch metric {
        case .cosine: 1 - dot(a, b, count: count)
        case .dot: -dot(a, b, count: count)
        case .l2: squaredDistance(a, b, count: count)
        }
    }

    /// a·b over `count` floats: four SIMD16 accumulators (64 floats a step), then 16, then one.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let x = UnsafeRawPointer(a)
        let y = UnsafeRawPointer(b)
        var sum0 = SIMD16<Float>()
        var sum1 = SIMD16<Float>()
        var sum2 = SIMD16<Float>()
        var sum3 = SIMD16<Float>()
        var offset = 0
        let end = count * 4
        while offset + 256 <= end {
            sum0 += x.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) * y.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            sum1 += x.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self) * y.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self)
            sum2 += x.loadUnaligned(fromByteOffset: offset + 128, as: SIMD16<Float>.self) * y.loadUnaligned(fromByteOffset: offset + 128, as: SIMD16<Float>.self)
            sum3 += x.loadUnaligned(fromByteOffset: offset + 192, as: SIMD16<Float>.self) * y.loadUnaligned(fromByteOffset: offset + 192, as: SIMD16<Float>.self)
            offset += 256
        }
        while offset + 64 <= end {
            sum0 += x.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) * y.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            offset += 64
        }
        var total = ((sum0 + sum1) + (sum2 + sum3)).sum()
        var index = offset / 4
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// |a − b|² over `count` floats, as ``dot(_:_:count:)``.
    static func squaredDistance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        let x = UnsafeRawPointer(a)
        let y = UnsafeRawPointer(b)
        var sum0 = SIMD16<Float>()
        var sum1 = SIMD16<Float>()
        var sum2 = SIMD16<Float>()
        var sum3 = SIMD16<Float>()
        var offset = 0
        let end = count * 4
        while offset + 256 <= end {
            let d0 = x.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) - y.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let d1 = x.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self) - y.loadUnaligned(fromByteOffset: offset + 64, as: SIMD16<Float>.self)
            let d2 = x.loadUnaligned(fromByteOffset: offset + 128, as: SIMD16<Float>.self) - y.loadUnaligned(fromByteOffset: offset + 128, as: SIMD16<Float>.self)
            let d3 = x.loadUnaligned(fromByteOffset: offset + 192, as: SIMD16<Float>.self) - y.loadUnaligned(fromByteOffset: offset + 192, as: SIMD16<Float>.self)
            sum0 += d0 * d0
            sum1 += d1 * d1
            sum2 += d2 * d2
            sum3 += d3 * d3
            offset += 256
        }
        while offset + 64 <= end {
            let d = x.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self) - y.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            sum0 += d * d
            offset += 64
        }
        var total = ((sum0 + sum1) + (sum2 + sum3)).sum()
        var index = offset / 4
        while index < count {
            let d = a[index] - b[index]
            total += d * d
            index += 1
        }
        return total
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                guard let x = a.baseAddress, let y = b.baseAddress else { return 0 }
                return dot(x, y, count: min(a.count, b.count))
            }
        }
    }

    static func squaredDistance(_ a: [Float], _ b: [Float]) -> Float {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                guard let x = a.baseAddress, let y = b.baseAddress else { return 0 }
                return squaredDistance(x, y, count: min(a.count, b.count))
            }
        }
    }
}
