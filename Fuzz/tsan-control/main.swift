// The control for Fuzz/sanitizers.sh: shows that ThreadSanitizer, with `Lock`'s annotations,
// is silent on state a `Lock` guards and still reports a real race next to it.
//
// Compiled by sanitizers.sh together with Sources/StrataEngine/Support/Lock.swift:
//   ./control        4 threads update a dictionary under a Lock: expect 0 reports
//   ./control racy   they also bump an unguarded counter: expect reports
import Dispatch

final class Shared: @unchecked Sendable {
    let counts = Lock<[Int: Int]>([:])
    var unguarded = 0
}

let shared = Shared()
let racy = CommandLine.arguments.dropFirst().first == "racy"
DispatchQueue.concurrentPerform(iterations: 4) { thread in
    for step in 0..<10_000 {
        shared.counts.withLock { $0[step % 7, default: 0] += thread }
        if racy { shared.unguarded += 1 }
    }
}
print(shared.counts.withLock { $0.values.reduce(0, +) })
