import Foundation
import MW1Core
import MW1SQLite
import Testing

/// The vector phases' recall: sqlite-vec answers them in SQL as exactly as the Swift scan, a
/// missing extension stops the store, and the recall floor fails a run below it.
@Suite("MW1 vector phases and recall")
struct VectorRecallTests {
    @Test(.enabled(if: SQLiteVecLocation.path != nil, "sqlite-vec is not installed (run Benchmarks/run-mw1.sh --smoke once)"))
    func sqliteVecAnswersEveryPhaseWithFullRecall() throws {
        let path = try #require(SQLiteVecLocation.path)
        let (summary, store) = try RunnerCheckTests.run {
            try SQLiteMW1Store(directory: $0, vectorSearch: .sqliteVec(extensionPath: path))
        }
        #expect(store.name == "sqlite-vec")
        #expect(store.sqliteVecVersion?.hasPrefix("v") == true)
        #expect(summary.results.allSatisfy { $0.store == "sqlite-vec" })
        #expect(summary.passed, "\(summary.results.map(\.jsonLine))")
        for phase in MW1Phase.queryPhases where phase.isVector {
            #expect(RunnerCheckTests.line(summary, phase)?.recall == 1.0, "\(phase)")
        }
        #expect(RunnerCheckTests.line(summary, .recheck)?.recall == 1.0)
        #expect(summary.passed(minimumRecall: 0.95))
    }

    @Test func aMissingExtensionStopsTheStore() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("mw1-vec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let missing = work + "/no-such-vec0"
        #expect {
            _ = try SQLiteMW1Store(directory: work, vectorSearch: .sqliteVec(extensionPath: missing))
        } throws: { error in
            guard let error = error as? SQLiteVecUnavailable else { return false }
            return error.extensionPath == missing && error.description.hasPrefix("sqlite-vec unavailable")
        }
        // Not an extension at all: a plain file.
        let notAnExtension = work + "/vec0.so"
        _ = FileManager.default.createFile(atPath: notAnExtension, contents: Data("not a library".utf8))
        #expect(throws: SQLiteVecUnavailable.self) {
            _ = try SQLiteMW1Store(directory: work, vectorSearch: .sqliteVec(extensionPath: notAnExtension))
        }
    }

    @Test func theSwiftScanIsStillTheSQLiteStore() throws {
        let (summary, store) = try RunnerCheckTests.run(phases: [.knn]) { try SQLiteMW1Store(directory: $0) }
        #expect(store.name == "sqlite" && store.vectorSearch == .swiftScan && store.sqliteVecVersion == nil)
        #expect(RunnerCheckTests.line(summary, .knn)?.recall == 1.0)
    }

    @Test func aRecallBelowTheFloorFailsTheRun() throws {
        // knn keeps only its best answer: recall falls, yet no exact answer is wrong.
        let (summary, _) = try RunnerCheckTests.run { directory in
            let store = try ForwardingStore(directory: directory)
            store.alterAnswer = { phase, answer in phase == .knn ? Array(answer.prefix(1)) : answer }
            return store
        }
        let knn = try #require(RunnerCheckTests.line(summary, .knn)?.recall)
        #expect(knn < 0.95)
        #expect(summary.passed)
        #expect(summary.passed(minimumRecall: nil))
        #expect(!summary.passed(minimumRecall: 0.95))
        #expect(summary.lines(belowRecall: 0.95).map(\.phase) == [.knn, .recheck])
        #expect(summary.passed(minimumRecall: knn))
        #expect(summary.lines(belowRecall: 0).isEmpty)
    }

    @Test func recallIsTheShareOfTheTruthFound() {
        #expect(MW1AnswerCheck.recall(["a", "b", "c"], truth: ["c", "b", "a"]) == 1)
        #expect(MW1AnswerCheck.recall(["a", "x", "y", "z"], truth: ["a", "b", "c", "d"]) == 0.25)
        // A filter that leaves fewer than k: the truth is shorter, and so must the answer be.
        #expect(MW1AnswerCheck.recall(["a"], truth: ["a"]) == 1)
        #expect(MW1AnswerCheck.recall([], truth: []) == 1)
        #expect(MW1AnswerCheck.recall(["a"], truth: []) == 0)
    }
}
