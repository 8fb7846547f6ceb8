#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The budget of a campaign: stop after `count` units or `seconds`, whichever comes first.
public struct CampaignBudget: Sendable {
    public var count: Int?
    public var seconds: Double?
    let start = ContinuousClock.now

    public init(count: Int?, seconds: Double?) {
        self.count = count
        self.seconds = seconds
    }

    /// Whether the campaign may start another unit after `done` units.
    public func allows(_ done: Int) -> Bool {
        if let count, done >= count { return false }
        if let seconds, elapsed >= seconds { return false }
        return true
    }

    /// Seconds since the campaign started.
    public var elapsed: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Progress and failure output: progress on stderr, the summary alone on stdout.
public enum CampaignOutput {
    /// Writes `text` and a newline to stderr.
    public static func progress(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { bytes in
            var rest = UnsafeRawBufferPointer(bytes)
            while !rest.isEmpty {
                let n = write(2, rest.baseAddress, rest.count)
                if n <= 0 { return }
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            }
        }
    }

    /// Writes the one summary line to stdout.
    public static func summary(_ line: String) {
        print(line)
        fflush(nil)
    }

    /// A seed from the clock, when none is given.
    public static func freshSeed() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) &* 1_000_000_007 &+ UInt64(time.tv_nsec) ^ UInt64(getpid())
    }
}

/// Shrinks a failing step list (of a key-value ``Workload`` or a ``GraphWorkload``) by dropping
/// chunks of steps, then single steps, while the failure still reproduces (deterministically),
/// within a time limit.
public enum Shrinker {
    public static func shrink<Step>(
        _ steps: [Step], seconds: Double = 90, reproduces: ([Step]) -> Bool
    ) -> [Step] {
        let start = ContinuousClock.now
        var current = steps
        var chunk = max(1, current.count / 2)
        while true {
            var index = 0
            var removedAny = false
            while index < current.count {
                if ContinuousClock.now - start > .seconds(seconds) { return current }
                var candidate = current
                candidate.removeSubrange(index..<min(current.count, index + chunk))
                if reproduces(candidate) {
                    current = candidate
                    removedAny = true
                    CampaignOutput.progress("  shrunk to \(current.count) steps")
                } else {
                    index += chunk
                }
            }
            if chunk == 1 {
                if !removedAny { break }
            } else {
                chunk /= 2
            }
        }
        return current
    }
}

extension CampaignOutput {
    /// Re-executes the process with `SWIFT_DETERMINISTIC_HASHING=1` unless it is set, so that
    /// dictionary and set order (and with it the engine's order of file operations) is the same
    /// in every run: a crash point then names the same operation when a seed is rerun.
    public static func ensureDeterministicHashing() {
        guard getenv("SWIFT_DETERMINISTIC_HASHING") == nil else { return }
        setenv("SWIFT_DETERMINISTIC_HASHING", "1", 1)
        let arguments = CommandLine.arguments
        var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        pointers.append(nil)
        execv("/proc/self/exe", pointers)
        // execv only returns on failure: go on, nondeterministic but still checking.
        progress("warning: could not re-execute with SWIFT_DETERMINISTIC_HASHING=1; reruns of a seed may differ")
    }
}
