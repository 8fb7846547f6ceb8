import Foundation

/// Output helpers: standard error lines, progress, and the exit on failure.
enum Console {
    /// Prints `line` to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints `line` to standard error and exits with status 1.
    static func fail(_ line: String) -> Never {
        error(line)
        Foundation.exit(1)
    }

    /// Whether standard error is a terminal (progress is shown only there).
    static let showsProgress = isatty(STDERR_FILENO) != 0

    /// Rewrites the current progress line on standard error, when it is a terminal.
    static func progress(_ line: String) {
        guard showsProgress else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Ends a progress line.
    static func endProgress() {
        guard showsProgress else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// Prints a value as pretty, key-sorted JSON on standard output.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }
}
