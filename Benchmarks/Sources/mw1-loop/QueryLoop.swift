import Foundation
import MW1Core
import MW1SQLite
import StrataMW1

/// `mw1-loop STORE DIRECTORY DATASET PHASE COUNT [--cold]`: opens a store that `mw1 --keep`
/// left in DIRECTORY (its `--work`), reads DATASET's queries of PHASE (get, window, timerange,
/// mentions_of_message, messages_of_entity, cooccur) and answers COUNT of them (cycling) in
/// `runQueries`, after one warm-up pass unless `--cold`. Made for instruction counts per
/// operation, which hold on a busy machine where wall-clock ratios do not:
///
///     valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*runQueries*' \
///         .build/release/mw1-loop strata /tmp/w /tmp/mw1-data/mw1-100000-s1 get 20000
///
/// then divide the `Collected` instruction count by COUNT. Answers are not checked (`mw1` does that).
struct Query: Decodable {
    var phase: String
    var id: String?
    var conversation: String?
    var ns: String?
    var from: Int64?
    var to: Int64?
    var limit: Int?
}

@inline(never)
func answer(_ query: Query, on store: any MW1Store) throws -> Int {
    switch query.phase {
    case "get": return try store.get(id: query.id!) == nil ? 0 : 1
    case "window": return try store.window(conversation: query.conversation!, limit: query.limit!).count
    case "timerange": return try store.timerange(namespace: query.ns!, from: query.from!, to: query.to!, limit: query.limit!).count
    case "mentions_of_message": return try store.mentionsOfMessage(id: query.id!).count
    case "messages_of_entity": return try store.messagesOfEntity(id: query.id!, limit: query.limit!).count
    case "cooccur": return try store.cooccur(id: query.id!, limit: query.limit!).count
    default: fatalError("mw1-loop: phase \(query.phase) is not looped")
    }
}

@inline(never)
func runQueries(_ queries: [Query], count: Int, on store: any MW1Store) throws -> Int {
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
let text = try String(contentsOfFile: dataset + "/queries.jsonl", encoding: .utf8)
let decoder = JSONDecoder()
let queries = try text.split(separator: "\n").compactMap { line -> Query? in
    let query = try decoder.decode(Query.self, from: Data(line.utf8))
    return query.phase == phase ? query : nil
}
guard !queries.isEmpty else { fatalError("mw1-loop: no \(phase) queries") }
let store: any MW1Store = storeName == "sqlite" ? try SQLiteMW1Store(directory: directory) : try StrataMW1Store(directory: directory)
if !arguments.contains("--cold") { _ = try warmUp(queries, on: store) }
let started = Date()
let answered = try runQueries(queries, count: count, on: store)
let seconds = Date().timeIntervalSince(started)
print("\(storeName) \(phase): \(count) queries, \(answered) results, \(seconds * 1e6 / Double(count)) µs/op")
try store.close()

@inline(never)
func warmUp(_ queries: [Query], on store: any MW1Store) throws -> Int {
    var total = 0
    for query in queries { total &+= try answer(query, on: store) }
    return total
}
