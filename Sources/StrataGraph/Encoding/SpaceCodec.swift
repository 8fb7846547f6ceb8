import StrataEngine

/// The value stored under a space's name in the `spaces` tree, and the vectors of the
/// `embeddings` tree (FORMAT.md, "Embedding spaces and vectors").
enum SpaceCodec {
    static let formatVersion: UInt8 = 1

    static func encode(_ space: EmbeddingSpace) -> [UInt8] {
        var writer = RecordWriter()
        writer.byte(formatVersion)
        writer.string(space.model)
        writer.varint(UInt64(space.dimension))
        writer.byte(space.metric.rawValue)
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8], name: String) throws -> EmbeddingSpace {
        var reader = RecordReader(bytes, context: "embedding space \(name)")
        guard try reader.byte() == formatVersion else { throw reader.failure("format version") }
        let model = try reader.string()
        let dimension = try reader.varint()
        guard dimension >= 1, dimension <= UInt64(GraphLimits.maxDimension) else { throw reader.failure("dimension") }
        guard let metric = DistanceMetric(rawValue: try reader.byte()) else { throw reader.failure("metric") }
        try reader.finish()
        return EmbeddingSpace(name: name, model: model, dimension: Int(dimension), metric: metric)
    }

    /// A vector as little-endian Float32s.
    static func encode(vector: [Float]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: vector.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (index, value) in vector.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        return bytes
    }

    static func decode(vector bytes: UnsafeRawBufferPointer, dimension: Int, context: String) throws -> [Float] {
        guard bytes.count == dimension * 4 else {
            throw GraphError.corruption("\(context): \(bytes.count) bytes for a \(dimension)-dimensional vector")
        }
        return (0..<dimension).map { index in
            Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
        }
    }
}
