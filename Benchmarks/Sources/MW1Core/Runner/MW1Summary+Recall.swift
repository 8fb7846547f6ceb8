extension MW1Summary {
    /// The lines whose recall is below `floor`: the vector phases and the recheck (whose recall
    /// is over its vector queries), in order. A line without a recall is never below.
    public func lines(belowRecall floor: Double) -> [MW1Result] {
        results.filter { line in line.recall.map { $0 < floor } ?? false }
    }

    /// Whether every answer was right, nothing removed came back, and, with a `minimumRecall`,
    /// no line's recall is below it.
    public func passed(minimumRecall: Double?) -> Bool {
        guard let minimumRecall else { return passed }
        return passed && lines(belowRecall: minimumRecall).isEmpty
    }
}
