#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The I/O counters of `/proc/self/io`, summed by Linux over every thread of the process
/// (background compaction and flush threads included).
public struct ProcessIO: Sendable, Equatable {
    /// `write_bytes`: bytes this process caused to be sent to storage, counted when a page
    /// of the page cache is dirtied (so a phase is charged for what it dirtied, even if
    /// writeback happens later).
    public var writeBytes: UInt64
    /// `cancelled_write_bytes`: dirtied bytes that never reached storage (a file truncated
    /// or deleted before writeback).
    public var cancelledWriteBytes: UInt64
    /// `read_bytes`: bytes this process caused to be fetched from storage.
    public var readBytes: UInt64

    /// Counters with the given values.
    public init(writeBytes: UInt64, cancelledWriteBytes: UInt64, readBytes: UInt64) {
        self.writeBytes = writeBytes
        self.cancelledWriteBytes = cancelledWriteBytes
        self.readBytes = readBytes
    }

    /// Bytes written to storage net of cancelled writes: `write_bytes - cancelled_write_bytes`
    /// (0 if the cancelled count is the larger, which only a counter reset could cause).
    public var netWriteBytes: UInt64 {
        writeBytes >= cancelledWriteBytes ? writeBytes - cancelledWriteBytes : 0
    }

    /// Parses the text of `/proc/PID/io` (`name: value` lines). Nil if `write_bytes`,
    /// `cancelled_write_bytes` or `read_bytes` is missing or not a number.
    public static func parse(_ text: String) -> ProcessIO? {
        let fields = ProcFields(text)
        guard let write = fields["write_bytes"], let cancelled = fields["cancelled_write_bytes"],
            let read = fields["read_bytes"]
        else { return nil }
        return ProcessIO(writeBytes: write, cancelledWriteBytes: cancelled, readBytes: read)
    }

    /// This process's counters now, or nil where `/proc/self/io` is unavailable.
    public static func current() -> ProcessIO? {
        ProcFile.contents(of: "/proc/self/io").flatMap(parse)
    }
}

/// The memory figures of `/proc/self/status`.
public struct ProcessMemory: Sendable, Equatable {
    /// `VmHWM`: the peak resident set size of the process so far, in bytes.
    public var peakResidentBytes: UInt64
    /// `VmRSS`: the resident set size now, in bytes.
    public var residentBytes: UInt64
    /// `RssAnon`: the anonymous (heap, stack) part of the resident set now, in bytes; the
    /// rest is file pages mapped in (LMDB's whole map, for one). Nil if the kernel lacks the line.
    public var anonymousResidentBytes: UInt64?

    /// Figures with the given values.
    public init(peakResidentBytes: UInt64, residentBytes: UInt64, anonymousResidentBytes: UInt64? = nil) {
        self.peakResidentBytes = peakResidentBytes
        self.residentBytes = residentBytes
        self.anonymousResidentBytes = anonymousResidentBytes
    }

    /// Parses the text of `/proc/PID/status`, whose `VmHWM:` and `VmRSS:` lines give
    /// kibibytes (`VmHWM:	  123456 kB`), and `RssAnon:` if present. Nil if `VmHWM` or `VmRSS`
    /// is missing or malformed.
    public static func parse(_ text: String) -> ProcessMemory? {
        let fields = ProcFields(text, unit: "kB")
        guard let peak = fields["VmHWM"], let resident = fields["VmRSS"] else { return nil }
        let (peakBytes, peakOverflow) = peak.multipliedReportingOverflow(by: 1024)
        let (residentBytes, residentOverflow) = resident.multipliedReportingOverflow(by: 1024)
        guard !peakOverflow, !residentOverflow else { return nil }
        let anonymous = fields["RssAnon"].flatMap { $0 <= UInt64.max / 1024 ? $0 * 1024 : nil }
        return ProcessMemory(peakResidentBytes: peakBytes, residentBytes: residentBytes, anonymousResidentBytes: anonymous)
    }

    /// This process's figures now, or nil where `/proc/self/status` is unavailable.
    public static func current() -> ProcessMemory? {
        ProcFile.contents(of: "/proc/self/status").flatMap(parse)
    }
}

/// The `name: value` lines of a `/proc` file, values unsigned decimal integers
/// (optionally followed by `unit`); lines that do not have that shape are skipped.
struct ProcFields {
    var values: [Substring: UInt64] = [:]

    init(_ text: String, unit: String? = nil) {
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon]
            var rest = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let unit, rest.count == 2, rest[1] == unit { rest.removeLast() }
            guard rest.count == 1, let value = UInt64(rest[0]) else { continue }
            values[name] = value
        }
    }

    subscript(name: Substring) -> UInt64? { values[name] }
}

/// Reads small pseudo-files, whose reported size is 0, to the end.
enum ProcFile {
    static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
