import ArgumentParser
import StrataEngine

/// `strata salvage DAMAGED NEW`: copies what is still readable into a new database.
struct Salvage: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy everything still readable from a damaged database into a new one.",
        discussion: """
            Reads every readable page of the damaged database's last valid checkpoint, then \
            replays its WAL up to the first damaged frame, writing all of it into NEW (which must \
            not exist or be empty). The damaged database is only read. Each skipped page, value \
            or frame is listed. Run `strata check NEW` afterwards.
            """)

    @Argument(help: "The damaged database directory.")
    var source: String

    @Argument(help: "Where to create the salvaged database.")
    var destination: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try GlobalOptions.requireDatabase(source, orWAL: true)
        let start = ContinuousClock.now
        let report = try Database.salvage(from: source, into: destination, configuration: global.configuration())
        if json {
            try Console.printJSON(report)
            return
        }
        for problem in report.problems { print("skipped: \(problem)") }
        print(
            "salvaged \(report.keys) keys in \(report.trees) trees into \(destination) "
                + "(\(report.commitsReplayed) WAL commits replayed; \(report.pagesLost) pages and "
                + "\(report.valuesLost) values lost) in \(Measurement.ms(Measurement.milliseconds(ContinuousClock.now - start)))")
    }
}
