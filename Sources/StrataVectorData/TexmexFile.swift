#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// TEXMEX vector files, the ann-benchmarks convention: every row is a little-endian Int32
/// dimension followed by that many 4-byte values, Float32 in `.fvecs` files and Int32 in
/// `.ivecs` files (ground-truth neighbour indices). Every row of a file has the same dimension.
public enum TexmexFile {
    /// The rows of the file at `path`: the first `limit` of them when `limit` is given.
    ///
    /// - Throws: `fileNotFound` for a missing file, `ioFailure` for one that cannot be read,
    ///   `malformedVectorFile` for an empty or truncated file or a dimension below 1,
    ///   `dimensionMismatch` for a row whose dimension differs from the first row's or, when
    ///   given, from `dimension`.
    public static func read<Scalar: TexmexScalar>(
        _ path: String, as type: Scalar.Type = Scalar.self, limit: Int? = nil, dimension: Int? = nil
    ) throws -> VectorRows<Scalar> {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StrataError(.fileNotFound, "\(path) does not exist", path: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw StrataError(.ioFailure, "cannot read \(path)", path: path, cause: UnderlyingFailure(error))
        }
        return try data.withUnsafeBytes { bytes in
            try decode(bytes, as: type, limit: limit, dimension: dimension, path: path)
        }
    }

    /// The rows encoded in `bytes` (see ``read(_:as:limit:dimension:)``; `path` only names the
    /// source in errors).
    public static func decode<Scalar: TexmexScalar>(
        _ bytes: UnsafeRawBufferPointer, as type: Scalar.Type = Scalar.self, limit: Int? = nil,
        dimension expected: Int? = nil, path: String? = nil
    ) throws -> VectorRows<Scalar> {
        guard bytes.count > 0 else { throw VectorFileError.malformed("the file is empty", path: path, offset: 0) }
        guard bytes.count >= 4 else {
            throw VectorFileError.malformed("\(bytes.count) bytes end inside the first row's dimension", path: path, offset: 0)
        }
        let dimension = Int(Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))))
        guard dimension >= 1 else {
            throw VectorFileError.malformed("the first row's dimension is \(dimension)", path: path, offset: 0)
        }
        if let expected, dimension != expected {
            throw VectorFileError.dimension(row: 0, has: dimension, expected: expected, path: path, offset: 0)
        }
        let rowBytes = 4 * (dimension + 1)
        let rows = min(bytes.count / rowBytes, limit ?? .max)
        var values: [Scalar] = []
        values.reserveCapacity(rows * dimension)
        var offset = 0
        for row in 0..<rows {
            let rowDimension = Int(Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
            guard rowDimension == dimension else {
                throw VectorFileError.dimension(row: row, has: rowDimension, expected: dimension, path: path, offset: offset)
            }
            for index in 0..<dimension {
                let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 * (index + 1), as: UInt32.self))
                values.append(Scalar(texmexBits: bits))
            }
            offset += rowBytes
        }
        // The rest of the file (all of it without a limit) must be whole rows.
        if limit == nil || rows < limit! {
            if offset != bytes.count {
                let remainder = bytes.count - offset
                if remainder >= 4 {
                    let rowDimension = Int(Int32(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
                    if rowDimension != dimension {
                        throw VectorFileError.dimension(row: rows, has: rowDimension, expected: dimension, path: path, offset: offset)
                    }
                }
                throw VectorFileError.malformed(
                    "truncated: row \(rows) has \(remainder) of its \(rowBytes) bytes", path: path, offset: offset)
            }
        }
        return try VectorRows(dimension: dimension, values: values)
    }

    /// The bytes of `rows` as a TEXMEX file.
    public static func encode<Scalar: TexmexScalar>(_ rows: VectorRows<Scalar>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.count * 4 * (rows.dimension + 1))
        func append(_ word: UInt32) {
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
        }
        for row in 0..<rows.count {
            append(UInt32(rows.dimension))
            for value in rows.values[row * rows.dimension..<(row + 1) * rows.dimension] { append(value.texmexBits) }
        }
        return bytes
    }

    /// Writes `rows` to `path` (replacing a file there): a temporary file renamed into place.
    ///
    /// - Throws: `ioFailure` when the file cannot be written.
    public static func write<Scalar: TexmexScalar>(_ rows: VectorRows<Scalar>, to path: String) throws {
        let temporary = path + ".tmp"
        do {
            try Data(encode(rows)).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StrataError(.ioFailure, "cannot write \(path)", path: path, cause: UnderlyingFailure(error))
        }
    }
}
