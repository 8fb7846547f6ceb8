import ArgumentParser
import StrataTestSupport

/// The loop every campaign (crash, kill, fault; key-value or graph workload) runs: one
/// iteration seed after another from the campaign seed (or only the `--iteration` one), until the
/// budget of units (crash points, kills, faults) is spent, with a progress line every 5 s and the
/// one summary line on stdout: `<name>: <units> <unit>, <0 or 1> violations, seed <seed>`.
/// A campaign states only what differs: its iteration and its progress line.
public struct CampaignLoop {
    /// What the summary line starts with (`crash-campaign (graph)`).
    public let name: String
    /// What the budget counts (`crash points`).
    public let unit: String
    public let seed: UInt64
    public let budget: CampaignBudget
    /// The one iteration to rerun, if given.
    public let iteration: UInt64?
    /// Units done so far.
    public private(set) var units = 0

    public init(name: String, unit: String, seed: UInt64, budget: CampaignBudget, iteration: UInt64?) {
        self.name = name
        self.unit = unit
        self.seed = seed
        self.budget = budget
        self.iteration = iteration
    }

    /// The summary line with `violations`.
    public func summary(violations: Int) {
        CampaignOutput.summary("\(name): \(units) \(unit), \(violations) violations, seed \(seed)")
    }

    /// Runs `iterate(iterationSeed, &units)` until the budget is spent; it adds the units it did
    /// and returns whether it found (and reported) a violation, which ends the campaign with the
    /// summary and exit status 1. An error it throws also ends it, after the summary with 0
    /// violations (the campaign could not go on: not a finding). Every 5 s `progress(units)`
    /// is printed, indented. The caller prints its closing progress line and
    /// ``summary(violations:)`` with 0 after it.
    public mutating func run(progress: (Int) -> String, _ iterate: (UInt64, inout Int) throws -> Bool) throws {
        var rng = SeededRandom(seed: seed)
        var lastReport = 0.0
        while budget.allows(units) {
            let iterationSeed = iteration ?? rng.next()
            let violated: Bool
            do {
                violated = try iterate(iterationSeed, &units)
            } catch {
                summary(violations: 0)
                throw error
            }
            if violated {
                summary(violations: 1)
                throw ExitCode.failure
            }
            if budget.elapsed - lastReport >= 5 {
                lastReport = budget.elapsed
                CampaignOutput.progress("  " + progress(units))
            }
            if iteration != nil { break }
        }
    }
}
