import ArgumentParser
import Foundation
import StrataEngine

/// The `strata` command: inspect, edit, check and compact a Strata database, or build a demo one.
@main
struct Strata: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Inspect, edit, check and compact Strata databases.",
        discussion: """
            A Strata database is a directory (LOCK, SUPERBLOCK, wal-*.log, seg-*.dat). Every \
            command except `demo` opens an existing database and refuses a directory without a \
            SUPERBLOCK file; none of them creates one. `put` creates a tree only with --create.

            Keys and values are UTF-8 text unless --hex is given, in which case they are read and \
            printed as hexadecimal. Errors print one line on standard error and exit non-zero.

            Run `strata help <command>` for the options of each command.
            """,
        subcommands: [
            Demo.self, Stats.self, Check.self, Trees.self, Get.self, Put.self, Delete.self, Scan.self,
            Compact.self, Salvage.self, Graph.self, Vectors.self, Tiers.self,
        ]
    )

    /// Parses and runs a command; a Strata failure becomes one line on standard error and exit 1.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as StrataError {
            Console.fail(error.description)
        } catch let error as CommandFailure {
            Console.fail(error.description)
        } catch {
            exit(withError: error)
        }
    }
}
