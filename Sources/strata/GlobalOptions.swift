import ArgumentParser
import Logging
import StrataEngine

/// The level of the engine's log lines on standard error.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Engine log lines at or above this level go to standard error.")
    var logLevel: LogLevel = .warning

    /// Sends swift-log output to standard error at the chosen level and returns the logger
    /// the engine is given. Call it once per process.
    func bootstrapLogging() -> Logger {
        let level = logLevel.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "strata")
        logger.logLevel = level
        return logger
    }

    /// The engine configuration the CLI uses: the defaults plus the bootstrapped logger.
    func configuration() -> Database.Configuration {
        var configuration = Database.Configuration()
        configuration.logger = bootstrapLogging()
        return configuration
    }

    /// Opens the existing database in `directory`, runs `body` and closes it (a close error is
    /// reported only if `body` succeeded). Refuses a directory without a SUPERBLOCK file, so
    /// that no command creates a database by accident. Commands that only read pass their
    /// ``ReadAccess``: the database is then opened read-only and nothing in it is written.
    func withDatabase<T>(_ directory: String, reading: ReadAccess? = nil, _ body: (Database) throws -> T) throws -> T {
        try GlobalOptions.requireDatabase(directory)
        var configuration = configuration()
        configuration.createIfMissing = false
        if let reading {
            configuration.readOnly = true
            configuration.readOnlyIgnoresWriter = reading.live
        }
        let database: Database
        do {
            database = try Database.open(at: directory, configuration: configuration)
        } catch let error as StrataError where error.code == .locked && reading != nil {
            throw CommandFailure(
                "the database at \(directory) is open for writing in another process (which one, flock does not "
                    + "tell: `fuser \(directory)/LOCK` shows its pid); stop it, or add --live to read a "
                    + "point-in-time view while it writes")
        }
        let result: T
        do {
            result = try body(database)
        } catch let error as StrataError where error.code == .fileNotFound && reading?.live == true {
            try? database.close()
            throw CommandFailure(
                "the database at \(directory) changed while being read (its writer removed \(error.path ?? "a file") "
                    + "this view needed); retry")
        } catch {
            try? database.close()
            throw error
        }
        try database.close()
        return result
    }
}

/// The `--live` flag of the commands that only read (they always open read-only).
struct ReadAccess: ParsableArguments {
    @Flag(
        help: """
            When another process has the database open for writing, read it anyway, without a \
            lock: a point-in-time view of the newest checkpoint and the WAL written so far, which \
            the writer may invalidate (the command then says to retry).
            """)
    var live = false
}

extension GlobalOptions {
    /// Throws unless `directory` is an existing Strata database: a missing path "does not
    /// exist"; a file is refused by the library itself (`notADatabase`, never a raw `lstat`
    /// error); a directory without a SUPERBLOCK file is not a Strata database.
    static func requireDatabase(_ directory: String, orWAL acceptWAL: Bool = false) throws {
        let fs = PosixFileSystem()
        switch try fs.kind(of: directory) {
        case .missing:
            throw CommandFailure("\(directory) does not exist")
        case .regularFile, .other:
            // Database.open refuses a non-directory with notADatabase before writing anything.
            try Database.open(at: directory).close()
            throw CommandFailure("\(directory) is not a directory; a Strata database is a directory")
        case .directory:
            let names = try fs.contentsOfDirectory(directory)
            guard names.contains("SUPERBLOCK") || acceptWAL && names.contains(where: { $0.hasPrefix("wal-") }) else {
                throw CommandFailure("\(directory) is not a Strata database (it has no SUPERBLOCK file)")
            }
        }
    }
}

extension Database {
    /// The existing tree called `name`, or a `notFound` error naming it.
    func requireTree(_ name: String) throws -> Tree {
        guard let tree = try existingTree(name) else {
            throw StrataError(.notFound, "there is no tree named \(name) in \(path); `strata trees \(path)` lists them")
        }
        return tree
    }
}
