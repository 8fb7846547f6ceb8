import Foundation
import StrataEngine
import StrataGraph
import StrataTestSupport
import StrataVectorData
import Testing

/// The fvecs/ivecs reader and writer: round trips, and every malformed file a typed error that
/// names the file and the offset of the bad row.
@Suite struct TexmexFileTests {
    static let vectors = try! VectorRows<Float>(
        dimension: 3, rows: [[1, 2, 3], [-0.5, 0, .greatestFiniteMagnitude], [1e-30, -7, 0.25]])

    @Test func fvecsRoundTripsThroughAFile() throws {
        let directory = try TemporaryDirectory(prefix: "texmex")
        let path = directory.path + "/base.fvecs"
        try TexmexFile.write(Self.vectors, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 3 * 4 * 4)
        let read = try TexmexFile.read(path, as: Float.self)
        #expect(read == Self.vectors)
        #expect(read[1] == [-0.5, 0, .greatestFiniteMagnitude])
        #expect(try TexmexFile.read(path, as: Float.self, limit: 2) == Self.vectors.prefix(2))
        #expect(try TexmexFile.read(path, as: Float.self, limit: 10) == Self.vectors)
    }

    @Test func ivecsRoundTripsAndIsLittleEndian() throws {
        let truth = try VectorRows<Int32>(dimension: 2, rows: [[0, 1], [Int32.max, -1]])
        let bytes = TexmexFile.encode(truth)
        #expect(Array(bytes.prefix(12)) == [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
        let decoded = try bytes.withUnsafeBytes { try TexmexFile.decode($0, as: Int32.self) }
        #expect(decoded == truth)
    }

    @Test func aTruncatedFileIsMalformedAtItsLastRow() throws {
        let bytes = TexmexFile.encode(Self.vectors)
        for cut in [1, 4, 7, 15] {
            let truncated = Array(bytes.dropLast(cut))
            let error = #expect(throws: StrataError.self) {
                try truncated.withUnsafeBytes { try TexmexFile.decode($0, as: Float.self, path: "x.fvecs") }
            }
            #expect(error?.code == .malformedVectorFile)
            #expect(error?.offset == 32, "cut \(cut): the third row starts at byte 32")
            #expect(error?.path == "x.fvecs")
        }
        // A limit that stops before the damage reads the whole rows.
        let truncated = Array(bytes.dropLast(3))
        let rows = try truncated.withUnsafeBytes { try TexmexFile.decode($0, as: Float.self, limit: 2) }
        #expect(rows == Self.vectors.prefix(2))
    }

    @Test func rowsOfAnotherDimensionAreRefused() throws {
        var bytes = TexmexFile.encode(Self.vectors)
        bytes[16] = 4  // the second row claims 4 dimensions
        let error = #expect(throws: StrataError.self) {
            try bytes.withUnsafeBytes { try TexmexFile.decode($0, as: Float.self) }
        }
        #expect(error?.code == .dimensionMismatch)
        #expect(error?.offset == 16)
        // The expected dimension is checked against the first row.
        let good = TexmexFile.encode(Self.vectors)
        let expected = #expect(throws: StrataError.self) {
            try good.withUnsafeBytes { try TexmexFile.decode($0, as: Float.self, dimension: 4) }
        }
        #expect(expected?.code == .dimensionMismatch)
        #expect(throws: Never.self) { try good.withUnsafeBytes { try TexmexFile.decode($0, as: Float.self, dimension: 3) } }
    }

    @Test func emptyAndNonPositiveDimensionsAreMalformed() throws {
        for bytes: [UInt8] in [[], [1, 0], [0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]] {
            let error = #expect(throws: StrataError.self) {
                try bytes.withUnsafeBytes { try TexmexFile.decode($0, as: Float.self) }
            }
            #expect(error?.code == .malformedVectorFile, "\(bytes)")
        }
    }

    @Test func aMissingFileIsFileNotFound() throws {
        let directory = try TemporaryDirectory(prefix: "texmex")
        let error = #expect(throws: StrataError.self) { try TexmexFile.read(directory.path + "/none.fvecs", as: Float.self) }
        #expect(error?.code == .fileNotFound)
    }

    @Test func rowsOfTheWrongLengthAreRefusedWhenBuilt() throws {
        let error = #expect(throws: StrataError.self) { try VectorRows<Float>(dimension: 2, rows: [[1, 2], [3]]) }
        #expect(error?.code == .dimensionMismatch)
        #expect(throws: StrataError.self) { try VectorRows<Float>(dimension: 0, values: []) }
        #expect(throws: StrataError.self) { try VectorRows<Float>(dimension: 2, values: [1, 2, 3]) }
    }
}
