import Foundation

/// Reads a TEXMEX `.fvecs` file: each row an `int32` dimension, then that many little-endian
/// float32 values.
enum FVecs {
    /// The rows of `directory/file`, without their headers, row-major. Every row must have
    /// dimension `dim` and finite values; there must be `rows` of them.
    static func read(directory: String, file: String, dim: Int, rows: Int) throws(MW1DatasetError) -> [Float] {
        let data = try JSONLines.read(directory: directory, file: file)
        let rowBytes = 4 * (dim + 1)
        guard data.count % rowBytes == 0 else {
            throw .badVectors(file: file, reason: "\(data.count) bytes is not a whole number of \(rowBytes)-byte rows of dimension \(dim)")
        }
        guard data.count / rowBytes == rows else {
            throw .badVectors(file: file, reason: "\(data.count / rowBytes) rows, the manifest says \(rows)")
        }
        var out = [Float](repeating: 0, count: rows * dim)
        var failure: MW1DatasetError?
        data.withUnsafeBytes { raw in
            out.withUnsafeMutableBufferPointer { values in
                for row in 0..<rows {
                    let base = row * rowBytes
                    let header = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: Int32.self))
                    guard header == dim else {
                        failure = .badVectors(file: file, reason: "row \(row) has dimension \(header), expected \(dim)")
                        return
                    }
                    for j in 0..<dim {
                        let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 + 4 * j, as: UInt32.self))
                        let value = Float(bitPattern: bits)
                        guard value.isFinite else {
                            failure = .badVectors(file: file, reason: "row \(row) component \(j) is \(value)")
                            return
                        }
                        values[row * dim + j] = value
                    }
                }
            }
        }
        if let failure { throw failure }
        return out
    }
}
