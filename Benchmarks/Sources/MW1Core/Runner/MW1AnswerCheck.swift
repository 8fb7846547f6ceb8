/// How the runner scores one answer against its truth line.
public enum MW1AnswerCheck {
    /// Whether an exact phase's answer is the truth: the same ids in the same order.
    public static func isExact(_ answer: [String], truth: [String]) -> Bool {
        answer == truth
    }

    /// recall@k: the share of the truth's ids the answer holds. An empty truth is recalled
    /// fully by an empty answer and not at all by a non-empty one.
    public static func recall(_ answer: [String], truth: [String]) -> Double {
        if truth.isEmpty { return answer.isEmpty ? 1 : 0 }
        let got = Set(answer)
        return Double(truth.reduce(0) { $0 + (got.contains($1) ? 1 : 0) }) / Double(truth.count)
    }

    /// The number of ids in the answer that belong to removed records.
    public static func violations(_ answer: [String], removed: Set<String>) -> Int {
        answer.reduce(0) { $0 + (removed.contains($1) ? 1 : 0) }
    }

    /// Whether a `get` answer is right: nil exactly when the truth is empty, otherwise the
    /// whole record as ingested (every field, so a store that reads only the key fails).
    public static func isExactRecord(_ record: MW1Node?, truth: [String], expected: MW1Node?) -> Bool {
        guard let record else { return truth.isEmpty }
        return truth == [record.id] && record == expected
    }
}
