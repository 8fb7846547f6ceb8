import StrataEngine
import StrataGraph
import StrataVectorData
import Testing

/// The brute-force reference and recall@k.
@Suite struct ExactNeighboursTests {
    let base = try! VectorRows<Float>(
        dimension: 2, rows: [[1, 0], [0, 1], [2, 0], [-1, 0], [1, 1], [0.5, 0]])

    @Test func ordersByDistanceUnderEachMetric() throws {
        let queries = try VectorRows<Float>(dimension: 2, rows: [[1, 0]])
        // Cosine: the three on the x axis (distance 0: ties by index), then [1,1].
        #expect(try ExactNeighbours.search(base: base, queries: queries, k: 4, metric: .cosine) == [[0, 2, 5, 4]])
        // Dot: the longest along x first; [1,0] and [1,1] tie at 1.
        #expect(try ExactNeighbours.search(base: base, queries: queries, k: 3, metric: .dot) == [[2, 0, 4]])
        // L2: [1,0] itself, [0.5,0], then [2,0] and [1,1] tied at 1.
        #expect(try ExactNeighbours.search(base: base, queries: queries, k: 3, metric: .l2) == [[0, 5, 2]])
    }

    @Test func aFilterRestrictsTheCandidates() throws {
        let queries = try VectorRows<Float>(dimension: 2, rows: [[1, 0], [0, 1]])
        let answers = try ExactNeighbours.search(base: base, queries: queries, k: 2, metric: .l2) { $0 % 2 == 1 }
        #expect(answers == [[5, 1], [1, 5]])
        let few = try ExactNeighbours.search(base: base, queries: queries, k: 10, metric: .l2) { $0 == 3 }
        #expect(few == [[3], [3]])
    }

    @Test func badArgumentsAreTypedErrors() throws {
        let queries = try VectorRows<Float>(dimension: 3, rows: [[1, 0, 0]])
        let wrong = #expect(throws: StrataError.self) { try ExactNeighbours.search(base: base, queries: queries, k: 1, metric: .l2) }
        #expect(wrong?.code == .dimensionMismatch)
        let good = try VectorRows<Float>(dimension: 2, rows: [[1, 0]])
        let zero = #expect(throws: StrataError.self) { try ExactNeighbours.search(base: base, queries: good, k: 0, metric: .l2) }
        #expect(zero?.code == .invalidArgument)
    }

    @Test func recallCountsTheExactAnswersFound() {
        #expect(Recall.of([1, 2, 3], exact: [3, 2, 1, 9], k: 3) == 1)
        #expect(Recall.of([1, 7, 8], exact: [3, 2, 1, 9], k: 3) == 1.0 / 3)
        #expect(Recall.of([9, 1], exact: [3, 2, 1, 9], k: 2) == 0)
        #expect(Recall.of([5], exact: [5], k: 10) == 1)
        #expect(Recall.of([], exact: [], k: 10) == 1)
        #expect(Recall.mean([[1], [2]], exact: [[1], [3]], k: 1) == 0.5)
    }
}

/// What `strata vectors import` refuses before writing anything.
@Suite struct SearchableRowsTests {
    @Test func nonFiniteAndZeroRowsAreRefused() throws {
        let good = try VectorRows<Float>(dimension: 2, rows: [[1, 0], [0, -1]])
        try good.checkSearchable(metric: .cosine)
        for bad: Float in [.nan, .infinity, -.infinity] {
            let rows = try VectorRows<Float>(dimension: 2, rows: [[1, 0], [0, bad]])
            let error = #expect(throws: StrataError.self) { try rows.checkSearchable(metric: .l2) }
            #expect(error?.code == .nonFiniteVector)
        }
        let zero = try VectorRows<Float>(dimension: 2, rows: [[1, 0], [0, 0]])
        let error = #expect(throws: StrataError.self) { try zero.checkSearchable(metric: .cosine) }
        #expect(error?.code == .invalidArgument)
        try zero.checkSearchable(metric: .l2)
        try zero.checkSearchable(metric: .dot)
    }
}
