import Foundation
import StrataEngine
import StrataTestSupport
import Testing

/// Replays every input the fuzz targets ever failed on (`Fuzz/regressions/<target>/`) and
/// every seed (`Fuzz/corpus/<target>/`) through the same probe the target runs, so a fixed
/// bug stays fixed without building the fuzzers.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    struct Input: CustomTestStringConvertible, Sendable {
        var target: String
        var path: String
        var testDescription: String { "\(target)/" + (path as NSString).lastPathComponent }
    }

    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ kind: String) -> [Input] {
        let root = fuzzDirectory.appendingPathComponent(kind)
        var inputs: [Input] = []
        for target in FuzzProbe.allCases.map(\.rawValue) {
            let directory = root.appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                inputs.append(Input(target: target, path: directory.appendingPathComponent(name).path))
            }
        }
        return inputs
    }

    static func replay(_ input: Input) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input.path)))
        let probe = try #require(FuzzProbe(rawValue: input.target))
        let failure = probe.check(bytes)
        #expect(failure == nil, "\(input.testDescription): \(failure ?? "")")
    }

    @Test("a regression input no longer fails", arguments: inputs("regressions"))
    func regression(_ input: Input) throws {
        try Self.replay(input)
    }

    /// The `open` regressions are damaged databases (values past a bound, counters about to
    /// overflow): each must be rejected with a typed error, not opened. (The `page` ones
    /// reproduce a miscompile of the loop over a decoded branch; some are valid branches.)
    @Test("a damaged-database regression is rejected", arguments: inputs("regressions").filter { $0.target == "open" })
    func damagedRegressionIsRejected(_ input: Input) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input.path)))
        #expect(!FuzzProbe.open.accepts(bytes), "\(input.testDescription): a damaged database was accepted as valid")
    }

    /// A seed is a valid input: the probe must not only survive it but decode it.
    @Test("a seed input passes its probe and decodes", arguments: inputs("corpus"))
    func seed(_ input: Input) throws {
        try Self.replay(input)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input.path)))
        let probe = try #require(FuzzProbe(rawValue: input.target))
        #expect(probe.accepts(bytes), "\(input.testDescription): a seed did not decode")
    }

    /// `accepts` can say no: one flipped byte in the middle of a checksummed seed (WAL frames,
    /// superblock slots; the sealing mode is turned off so no checksum is repaired) is rejected.
    @Test("a checksummed seed with a flipped byte is rejected", arguments: inputs("corpus").filter { ["wal", "superblock"].contains($0.target) })
    func damagedSeed(_ input: Input) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: input.path)))
        let probe = try #require(FuzzProbe(rawValue: input.target))
        bytes[0] = 0
        bytes[bytes.count / 2] ^= 0x40
        #expect(!probe.accepts(bytes), "\(input.testDescription)")
    }

    @Test func corpusIsPresent() {
        #expect(!Self.inputs("corpus").isEmpty, "no seeds under \(Self.fuzzDirectory.path)/corpus")
    }

    @Test func seedDatabasesOpenWithTheirTrees() throws {
        let inputs = Self.inputs("corpus").filter { $0.target == "open" && $0.path.hasSuffix("/checkpointed") }
        let input = try #require(inputs.first)
        let fileSystem = MemoryFileSystem()
        try PackedDatabaseImage(unpacking: [UInt8](try Data(contentsOf: URL(fileURLWithPath: input.path))))
            .write(to: "/db", in: fileSystem)
        var configuration = Database.Configuration(fileSystem: fileSystem)
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        let database = try Database.open(at: "/db", configuration: configuration)
        defer { try? database.close() }
        #expect(try database.treeNames() == ["edges", "nodes"])
        #expect(try database.tree("nodes").count == 39)
        #expect(try database.tree("edges").count == 2)
    }
}

@Suite("Packed database image")
struct PackedDatabaseImageTests {
    @Test func packAndUnpackRoundTrip() throws {
        let fileSystem = MemoryFileSystem()
        var superblock = [UInt8](repeating: 0, count: 8192)
        superblock[0] = 1
        superblock[4096 + 127] = 2
        fileSystem.setContents(superblock, of: "/db/SUPERBLOCK")
        fileSystem.setContents([UInt8](repeating: 5, count: 70_000), of: "/db/seg-00000002.dat")
        fileSystem.setContents([9, 9], of: "/db/wal-00000004.log")
        let image = try #require(PackedDatabaseImage(directory: "/db", in: fileSystem))
        // Sealing rewrites the superblock slots' checksums; everything else comes back as it was.
        let once = PackedDatabaseImage(unpacking: image.packed())
        let filesMatch = once.files.keys.sorted() == image.files.keys.sorted()
            && once.files["seg-00000002.dat"] == image.files["seg-00000002.dat"]
            && once.files["wal-00000004.log"] == image.files["wal-00000004.log"]
        #expect(filesMatch)
        let stable = PackedDatabaseImage(unpacking: once.packed()) == once
        #expect(stable)
    }

    @Test func anyBytesUnpack() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = PackedDatabaseImage(unpacking: bytes)
        }
    }
}
