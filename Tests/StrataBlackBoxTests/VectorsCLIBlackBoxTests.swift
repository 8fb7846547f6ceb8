import Foundation
import StrataTestSupport
import Testing

/// The `strata` binary beside the test bundle (`swift build --build-tests` builds it), run as a
/// user runs it: arguments in, exit status and standard output and error back.
struct StrataCommand {
    let url: URL

    /// The binary, or nil when this build has none.
    static let built: StrataCommand? = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("strata")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return StrataCommand(url: candidate)
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }()

    struct Outcome {
        var status: Int32
        var output: String
        var error: String
        /// The ids `vectors search` printed, nearest first.
        var ids: [String] { output.split(separator: "\n").compactMap { line in line.split(separator: " ").first { $0.hasPrefix("v") }.map(String.init) } }
        /// The JSON lines of standard output.
        var jsonLines: [[String: Any]] {
            output.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap { line in
                try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            }
        }
    }

    /// Runs the binary with `arguments`, its output and errors going to files (no pipe to fill).
    func run(_ arguments: [String]) throws -> Outcome {
        let directory = try TemporaryDirectory(prefix: "strata-blackbox-cli-run")
        let (outputPath, errorPath) = (directory.appending("out"), directory.appending("err"))
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: try String(contentsOfFile: outputPath, encoding: .utf8),
            error: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}

/// `strata vectors import|search|bench` from outside, on tiny .fvecs files written here, as the
/// README's command table and `strata vectors --help` describe them: a bad file, a wrong
/// dimension or a missing truth file is one line on standard error naming the error's code,
/// exit status 1, and the store as it was.
@Suite("Black box: strata vectors CLI")
struct VectorsCLIBlackBoxTests {
    /// Eight 4-dimensional rows: row i points mostly along axis i % 4, longer with i.
    static let rows: [[Float]] = (0..<8).map { (i: Int) -> [Float] in
        (0..<4).map { (axis: Int) -> Float in
            let value: Float = axis == i % 4 ? Float(1 + i) : 0.1 * Float(axis + 1)
            return value
        }
    }

    /// TEXMEX rows: each a little-endian Int32 dimension, then the values.
    static func fvecs(_ rows: [[Float]]) -> Data {
        var data = Data()
        for row in rows {
            withUnsafeBytes(of: Int32(row.count).littleEndian) { data.append(contentsOf: $0) }
            for value in row { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    static func write(_ data: Data, _ name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.appending(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The binary, or a recorded issue when the build has none.
    static func strata() throws -> StrataCommand {
        try #require(StrataCommand.built, "no strata binary beside \(CommandLine.arguments[0]); build it with swift build")
    }

    /// Expects a failure naming `code` on standard error.
    static func expectFailure(_ outcome: StrataCommand.Outcome, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.status == 1, "exit status, stderr \(outcome.error)", sourceLocation: sourceLocation)
        #expect(outcome.error.contains("\(code):"), "stderr names \(code): \(outcome.error)", sourceLocation: sourceLocation)
    }

    @Test("import then search finds the rows by id; a re-import of a bad file changes nothing")
    func importSearchAndBadFiles() throws {
        let strata = try Self.strata()
        let directory = try TemporaryDirectory(prefix: "strata-blackbox-cli")
        let database = directory.appending("db")
        let base = try Self.write(Self.fvecs(Self.rows), "base.fvecs", in: directory)
        let imported = try strata.run(["vectors", "import", database, "--space", "s", "--metric", "l2", base])
        #expect(imported.status == 0, "import: \(imported.error)")
        func search() throws -> [String] {
            let found = try strata.run(["vectors", "search", database, "--space", "s", "--k", "3", "--vector", "5,0.2,0.3,0.4"])
            #expect(found.status == 0, "search: \(found.error)")
            return found.ids
        }
        let before = try search()
        #expect(before.first == "v4" && before.count == 3, "\(before)")
        let byRow = try strata.run(["vectors", "search", database, "--space", "s", "--k", "1", "--query", base, "--index", "6"])
        #expect(byRow.ids == ["v6"], "\(byRow.output) \(byRow.error)")

        var truncated = Self.fvecs(Self.rows.map { $0.map { $0 + 100 } })
        truncated.removeLast(2)
        let cut = try Self.write(truncated, "cut.fvecs", in: directory)
        Self.expectFailure(try strata.run(["vectors", "import", database, "--space", "s", "--metric", "l2", cut]), "malformedVectorFile")
        let mixed = Self.fvecs([[1, 2, 3, 4], [1, 2, 3]])
        Self.expectFailure(
            try strata.run(["vectors", "import", database, "--space", "t", try Self.write(mixed, "mixed.fvecs", in: directory)]),
            "dimensionMismatch")
        let narrow = try Self.write(Self.fvecs([[1, 2, 3], [3, 2, 1]]), "narrow.fvecs", in: directory)
        Self.expectFailure(try strata.run(["vectors", "import", database, "--space", "s", "--metric", "l2", narrow]), "dimensionMismatch")
        let nan = try Self.write(Self.fvecs([[1, 2, 3, 4], [.nan, 0, 0, 1]]), "nan.fvecs", in: directory)
        Self.expectFailure(try strata.run(["vectors", "import", database, "--space", "u", "--metric", "l2", nan]), "nonFiniteVector")
        let empty = try Self.write(Data(), "empty.fvecs", in: directory)
        Self.expectFailure(try strata.run(["vectors", "import", database, "--space", "s", "--metric", "l2", empty]), "malformedVectorFile")
        Self.expectFailure(
            try strata.run(["vectors", "import", database, "--space", "s", "--metric", "l2", directory.appending("none.fvecs")]),
            "fileNotFound")
        Self.expectFailure(
            try strata.run(["vectors", "search", database, "--space", "s", "--k", "3", "--vector", "1,2,3"]), "dimensionMismatch")
        Self.expectFailure(
            try strata.run(["vectors", "search", database, "--space", "nowhere", "--k", "3", "--vector", "1,2,3,4"]), "missingRecord")

        #expect(try search() == before, "the failed imports left the store as it was")
        let unchanged = try strata.run(["vectors", "search", database, "--space", "s", "--k", "8", "--vector", "1,1,1,1"])
        #expect(Set(unchanged.ids) == Set((0..<8).map { "v\($0)" }), "\(unchanged.output)")
        for space in ["t", "u"] {
            Self.expectFailure(
                try strata.run(["vectors", "search", database, "--space", space, "--k", "1", "--vector", "1,2,3,4"]), "missingRecord")
        }
    }

    @Test("bench prints recall per ef; a missing or mismatched truth or query file is a typed error")
    func benchAndBadInputs() throws {
        let strata = try Self.strata()
        let directory = try TemporaryDirectory(prefix: "strata-blackbox-cli")
        let base = try Self.write(Self.fvecs(Self.rows), "base.fvecs", in: directory)
        let queries = try Self.write(Self.fvecs([Self.rows[1], Self.rows[6]]), "queries.fvecs", in: directory)
        let bench = try strata.run([
            "vectors", "bench", "--base", base, "--queries", queries, "--k", "2", "--ef", "4,8", "--metric", "l2", "--dataset", "tiny",
        ])
        #expect(bench.status == 0, "bench: \(bench.error)")
        let search = bench.jsonLines.filter { $0["phase"] as? String == "search" }
        #expect(search.compactMap { $0["ef"] as? Int }.sorted() == [4, 8], "\(bench.output)")
        #expect(search.allSatisfy { ($0["recall"] as? Double) == 1 && ($0["dataset"] as? String) == "tiny" }, "\(bench.output)")

        Self.expectFailure(
            try strata.run([
                "vectors", "bench", "--base", base, "--queries", queries, "--truth", directory.appending("missing.ivecs"),
                "--k", "2", "--ef", "4",
            ]), "fileNotFound")
        let wide = try Self.write(Self.fvecs([[1, 2, 3, 4, 5]]), "wide.fvecs", in: directory)
        Self.expectFailure(
            try strata.run(["vectors", "bench", "--base", base, "--queries", wide, "--k", "2", "--ef", "4"]), "dimensionMismatch")
        var cut = Self.fvecs(Self.rows)
        cut.removeLast(3)
        Self.expectFailure(
            try strata.run([
                "vectors", "bench", "--base", try Self.write(cut, "cut.fvecs", in: directory), "--queries", queries, "--k", "2",
                "--ef", "4",
            ]), "malformedVectorFile")
    }
}
