import StrataTestSupport

/// How the crash campaigns (key-value and graph) pick what to check in one workload: `count`
/// crash points drawn from its `total` mutating calls (or only `--point`), each checked in every
/// ``CrashMode`` (or only `--mode`).
public enum CrashPoints {
    /// Calls `check(point, mode, modeIndex)` for each crash point and mode, adding one to
    /// `points` before each; returns true as soon as one returns true (a violation, reported).
    public static func check(
        count: Int, total: Int, only: Int?, mode: String?, using random: inout SeededRandom, points: inout Int,
        _ check: (Int, CrashMode, UInt64) -> Bool
    ) -> Bool {
        for _ in 0..<count {
            var point = Int.random(in: 0..<total, using: &random)
            if let only { point = only }
            for crashMode in CrashMode.allCases where mode == nil || mode == crashMode.description {
                points += 1
                if check(point, crashMode, UInt64(CrashMode.allCases.firstIndex(of: crashMode)!)) { return true }
            }
        }
        return false
    }
}
