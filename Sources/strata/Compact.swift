import ArgumentParser
import StrataEngine

/// `strata compact DIR`: checkpoints until segment GC has nothing left to do.
struct Compact: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Checkpoint and collect sparse segments; report bytes on disk before and after.",
        discussion: """
            Writes a checkpoint (so an open replays no WAL), then keeps checkpointing while segment \
            GC finds sealed segments whose live ratio is under the GC threshold (each checkpoint \
            moves at most about two segments' worth of live pages), up to --rounds checkpoints.
            """)

    @Argument(help: "The database directory.")
    var directory: String

    @Option(help: "Most checkpoints to run.")
    var rounds = 64

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let before = Measurement.directorySize(directory)
        let (checkpoints, collected, statistics, elapsed) = try global.withDatabase(directory) { database in
            let start = ContinuousClock.now
            var checkpoints = 0
            var collected = 0
            while checkpoints < max(rounds, 1), let report = try database.checkpoint() {
                checkpoints += 1
                collected += report.segmentsCollected
                if report.segmentsCollected == 0 { break }
            }
            return (checkpoints, collected, try database.statistics(), ContinuousClock.now - start)
        }
        let after = Measurement.directorySize(directory)
        let live = statistics.segmentBytes == 0 ? 1 : Double(statistics.liveBytes) / Double(statistics.segmentBytes)
        if checkpoints == 0 {
            print("nothing to do: no change since the last checkpoint and no segment under the GC threshold")
        } else {
            print("checkpoints     \(checkpoints) in \(Measurement.ms(Measurement.milliseconds(elapsed)))")
        }
        print("segments GC'd   \(collected)")
        print("before          \(Measurement.bytes(before.bytes)) in \(before.files) files")
        print("after           \(Measurement.bytes(after.bytes)) in \(after.files) files")
        print("live ratio      \(Measurement.percent(live)) of \(Measurement.bytes(statistics.segmentBytes)) in segments")
    }
}
