import Foundation
import MW1Core
import MW1SQLite
import StrataMW1

/// `mw1-loop STORE DIRECTORY DATASET PHASE COUNT [--cold]`: opens a store that `mw1 --keep`
/// left in DIRECTORY (its `--work`), reads DATASET's queries of PHASE (get, window, timerange,
/// mentions_of_message, messages_of_entity, cooccur, or a vector phase; `MW1Dataset.loadQueries`
/// types them) and answers COUNT of them (cycling) in
/// `runQueries`, after one warm-up pass unless `--cold`. Made for instruction counts per
/// operation, which hold on a busy machine where wall-clock ratios do not:
///
///     valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*runQueries*' \
///         .build/release/mw1-loop strata /tmp/w /tmp/mw1-data/mw1-100000-s1 get 20000
///
/// then divide the `Collected` instruction count by COUNT. Answers are not checked (`mw1` does that).
/// It prints the wall-clock and the CPU time (user + system, `getrusage`) per query.
@inline(never)
func answer(_ query: MW1Query, on store: any MW1Store) throws -> Int {
    // `get` without the one-id array `MW1Store.answer` makes, so its count stays the read's.
    if case .get(let id) = query { return try store.get(id: id) == nil ? 0 : 1 }
    return try store.answer(query).count
}

@inline(never)
func runQueries(_ queries: [MW1Query], count: Int, on store: any MW1Store) throws -> Int {
    var total = 0
    for index in 0..<count { total &+= try answer(queries[index % queries.count], on: store) }
    return total
}

let arguments = CommandLine.arguments
guard arguments.count >= 6, let count = Int(arguments[5]) else {
    FileHandle.standardError.write(Data("usage: mw1-loop strata|sqlite DIRECTORY DATASET PHASE COUNT [--cold]\n".utf8))
    exit(2)
}
let (storeName, directory, dataset, phase) = (arguments[1], arguments[2], arguments[3], arguments[4])
let queries = try MW1Dataset.loadQueries(directory: dataset).filter { $0.phase.rawValue == phase }
guard !queries.isEmpty else { fatalError("mw1-loop: no \(phase) queries") }
let store: any MW1Store = storeName == "sqlite" ? try SQLiteMW1Store(directory: directory) : try StrataMW1Store(directory: directory)
if !arguments.contains("--cold") { _ = try warmUp(queries, on: store) }
let started = Date()
let cpuStarted = cpuSeconds()
let answered = try runQueries(queries, count: count, on: store)
let cpu = cpuSeconds() - cpuStarted
let seconds = Date().timeIntervalSince(started)
print(
    "\(storeName) \(phase): \(count) queries, \(answered) results, \(seconds * 1e6 / Double(count)) µs/op, "
        + "cpu \(cpu * 1e6 / Double(count)) µs/op")
try store.close()

/// This process's CPU time so far (user + system), in seconds: steadier than the wall clock on
/// a machine other jobs share.
func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

@inline(never)
func warmUp(_ queries: [MW1Query], on store: any MW1Store) throws -> Int {
    var total = 0
    for query in queries { total &+= try answer(query, on: store) }
    return total
}
