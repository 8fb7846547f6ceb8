import Synchronization
import Testing

@testable import StrataEngine

@Suite struct ParallelMapTests {
    /// Results come back in index order, each index transformed exactly once, for the counts
    /// that take the serial path (0, 1) and the parallel one.
    @Test(arguments: [0, 1, 2, 7, 1000])
    func mapsEveryIndexOnceInOrder(count: Int) {
        let calls = Atomic<Int>(0)
        let result = parallelMap(count) { index -> [Int] in
            calls.add(1, ordering: .relaxed)
            return [index, index * index]
        }
        #expect(result == (0..<count).map { [$0, $0 * $0] })
        #expect(calls.load(ordering: .relaxed) == count)
    }
}
