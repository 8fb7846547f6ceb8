import Foundation
import MW1Core
import MW1SQLite
import Testing

/// The runner's checking: a right store passes; a wrong answer, a wrong record, a forget that
/// misses, an unsupported phase are each reported as such.
@Suite("MW1 runner checks")
struct RunnerCheckTests {
    /// Runs the tiny dataset against a store made by `makeStore` in a fresh directory.
    static func run<S: MW1Store>(
        phases: Set<MW1Phase> = Set(MW1Phase.allCases), _ makeStore: (String) throws -> S
    ) throws -> (MW1Summary, S) {
        let dataset = try MW1Dataset.load(directory: try TinyDataset().write())
        defer { try? FileManager.default.removeItem(atPath: dataset.directory) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("mw1-work-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let store = try makeStore(work)
        let summary = try MW1Runner(dataset: dataset, store: store, phases: phases, emit: { _ in }).run()
        try store.close()
        return (summary, store)
    }

    static func line(_ summary: MW1Summary, _ phase: MW1Phase) -> MW1Result? {
        summary.results.first { $0.phase == phase }
    }

    @Test func sqliteAnswersEveryPhaseExactly() throws {
        let (summary, _) = try Self.run { try SQLiteMW1Store(directory: $0) }
        #expect(summary.results.map(\.phase) == MW1Phase.allCases)
        #expect(summary.passed, "\(summary.results.map(\.jsonLine))")
        for phase in MW1Phase.queryPhases where phase.isVector {
            #expect(Self.line(summary, phase)?.recall == 1.0, "\(phase)")
        }
        #expect(Self.line(summary, .expire)?.n == 1)
        #expect(Self.line(summary, .recheck)?.n == 19)
        #expect(Self.line(summary, .ingest)?.bytesOnDisk ?? 0 > 0)
    }

    @Test func aWrongAnswerIsCountedWrong() throws {
        let (summary, _) = try Self.run { directory in
            let store = try ForwardingStore(directory: directory)
            store.alterAnswer = { phase, answer in phase == .window ? Array(answer.dropLast()) : answer }
            return store
        }
        #expect(Self.line(summary, .window)?.wrong == 2)
        #expect(Self.line(summary, .timerange)?.wrong == 0)
        #expect(!summary.passed)
    }

    @Test func aRecordWithAWrongFieldIsCountedWrong() throws {
        let (summary, _) = try Self.run(phases: [.get]) { directory in
            let store = try ForwardingStore(directory: directory)
            store.alterRecord = { record in
                guard case .entity(var entity)? = record else { return record }
                entity.name += "!"
                return .entity(entity)
            }
            return store
        }
        #expect(Self.line(summary, .get)?.wrong == 1)
    }

    @Test func aForgottenIdInAnAnswerIsAViolation() throws {
        let (summary, _) = try Self.run { directory in
            let store = try ForwardingStore(directory: directory)
            store.removes = false
            return store
        }
        let recheck = try #require(Self.line(summary, .recheck))
        // get of m00000002, mem0000002, mem0000003; window, timerange, mentions, messages_of_entity,
        // knn, knn_conversation: every removed id they return.
        #expect(recheck.violations ?? 0 >= 10)
        #expect(recheck.wrong ?? 0 > 0)
        #expect(Self.line(summary, .expire)?.wrong == 1)
        #expect(Self.line(summary, .reopen)?.violations == 0)  // the first window is of c000000
        #expect(!summary.passed)
    }

    @Test func unsupportedPhasesAreReportedNeverCalled() throws {
        let graphOnly = Set(MW1Phase.queryPhases.filter { !$0.isVector })
        let (summary, store) = try Self.run { try ForwardingStore(directory: $0, supportedPhases: graphOnly) }
        for phase in MW1Phase.queryPhases where phase.isVector {
            let line = try #require(Self.line(summary, phase))
            #expect(!line.supported && line.n == 0 && line.recall == nil && line.opsPerSecond == nil)
        }
        #expect(store.called.isDisjoint(with: MW1Phase.queryPhases.filter(\.isVector)))
        #expect(summary.passed)
        #expect(Self.line(summary, .recheck)?.n == 13)
    }

    @Test func jsonLineHasTheSpecsKeysInOrder() {
        let line = MW1Result(
            store: "sqlite", phase: .knnConversation, n: 2000, opsPerSecond: 18250.44, p50Microseconds: 41.2,
            p99Microseconds: 88, recall: 0.991, wrong: nil, violations: 0, dataset: "mw1-100k-s1")
        #expect(line.jsonLine == #"{"store":"sqlite","phase":"knn_conversation","n":2000,"ops_per_s":18250.4,"p50_us":41.20,"p99_us":88.00,"recall":0.9910,"wrong":null,"violations":0,"bytes_on_disk":null,"ms":null,"supported":true,"dataset":"mw1-100k-s1"}"#)
    }

    @Test func exactTopKOrdersByScoreThenId() {
        var top = ExactTopK(k: 3)
        for (score, id) in [(0.5, "b"), (0.9, "z"), (0.5, "a"), (0.1, "c"), (0.9, "y"), (0.5, "0")] {
            top.offer(score: score, id: id)
        }
        #expect(top.ids == ["y", "z", "0"])
    }
}
