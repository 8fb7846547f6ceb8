import ArgumentParser
import StrataEngine

/// `strata check DIR`: reads and verifies every page.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify every page, checksum, key order, count and live-byte table.",
        discussion: """
            Opens the database (which replays its WAL), reads every page of the last checkpoint \
            from disk, checks checksums, key order, parent bounds, key counts and the per-segment \
            live bytes, then walks the current trees. Exits 0 when all is well, 1 with one line \
            naming the damaged file and offset otherwise.
            """)

    @Argument(help: "The database directory.")
    var directory: String

    @Flag(help: "Print the verification report (or the failure) as JSON.")
    var json = false

    @OptionGroup var reading: ReadAccess
    @OptionGroup var global: GlobalOptions

    /// What `--json` prints.
    struct Outcome: Encodable {
        var ok: Bool
        var report: VerificationReport?
        var error: String?
        var code: String?
        var path: String?
        var offset: Int64?
        var milliseconds: Double
    }

    func run() throws {
        let start = ContinuousClock.now
        do {
            let report = try global.withDatabase(directory, reading: reading) { try $0.verify() }
            let elapsed = Measurement.milliseconds(ContinuousClock.now - start)
            if json {
                try Console.printJSON(Outcome(ok: true, report: report, milliseconds: elapsed))
            } else {
                print(
                    "ok: \(report.trees) trees, \(report.pages) pages, \(report.keys) stored keys, "
                        + "\(report.outOfLineValues) out-of-line values, \(Measurement.bytes(report.bytes)) checked "
                        + "in \(Measurement.ms(elapsed))")
            }
        } catch let error as StrataError {
            if json {
                try Console.printJSON(
                    Outcome(
                        ok: false, error: error.description, code: error.code.name, path: error.path,
                        offset: error.offset, milliseconds: Measurement.milliseconds(ContinuousClock.now - start)))
            }
            throw error
        }
    }
}
