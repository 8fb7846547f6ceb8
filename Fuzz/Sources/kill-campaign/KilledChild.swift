import CampaignSupport
import Foundation
import StrataEngine
import StrataTestSupport
import Synchronization

/// One child of the kill campaign: this executable started again with `arguments`, its stdout
/// drained while it runs (so it never blocks on a full pipe), killed with SIGKILL after `delay`
/// µs, or after `delay` µs counted from the moment it writes the line `waitFor` (at most
/// `waitLimit` µs of waiting; if it never writes it, it is killed then).
struct KilledChild {
    /// The complete lines the child wrote (the kill may cut the last one: it is left out).
    var lines: [Substring]
    /// Whether the child had exited before the kill.
    var exitedByItself: Bool
    /// Whether the line waited for was seen before the kill.
    var sawLine: Bool

    static func run(arguments: [String], afterMicroseconds delay: Int, waitFor: String? = nil, waitLimit: Int = 3_000_000) throws -> KilledChild {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let reader = pipe.fileHandleForReading
        let collected = DataBox()
        let drained = DispatchSemaphore(value: 0)
        let seen = DispatchSemaphore(value: 0)
        let marker = waitFor.map { Data(("\n" + $0 + "\n").utf8) }
        DispatchQueue.global().async {
            var signalled = false
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                let all = collected.append(chunk)
                if !signalled, let marker, all.range(of: marker) != nil || all.starts(with: marker.dropFirst()) {
                    signalled = true
                    seen.signal()
                }
            }
            drained.signal()
        }
        var sawLine = false
        if waitFor != nil {
            sawLine = seen.wait(timeout: .now() + .microseconds(waitLimit)) == .success
        }
        usleep(useconds_t(delay))
        let exitedByItself = !process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        drained.wait()
        if exitedByItself, process.terminationStatus != 0 {
            throw CampaignFailure("the child exited with status \(process.terminationStatus)")
        }
        let text = String(decoding: collected.get(), as: UTF8.self)
        let lines = Array(text.split(separator: "\n", omittingEmptySubsequences: false).dropLast())
        return KilledChild(lines: lines, exitedByItself: exitedByItself, sawLine: sawLine)
    }

    /// An in-memory copy of the killed child's database `directory` (as `/db`; empty if the
    /// child never created it), for the crash-image checks after the real reopen.
    static func copy(directory: String) throws -> MemoryFileSystem {
        let image = MemoryFileSystem()
        let posix = PosixFileSystem()
        if (try posix.kind(of: directory)) == .directory {
            try image.createDirectory("/db")
            for name in try posix.contentsOfDirectory(directory) {
                let file = try posix.openFile(directory + "/" + name, create: false)
                image.setContents(try file.readExactly(at: 0, count: Int(try file.length())), of: "/db/" + name)
                try file.close()
            }
        }
        return image
    }

    /// In the child: writes `text` and a newline to stdout, unbuffered (a kill loses no line
    /// written before it).
    static func say(_ text: String) {
        let line = Array((text + "\n").utf8)
        _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    /// In the child, after its workload ran: exits with status 3 if a step or the close failed;
    /// otherwise everything is durable, and it says `ack <last commit>`.
    static func finish(_ outcome: WorkloadRunner.Outcome) {
        if let error = outcome.error {
            CampaignOutput.progress("child: step \(outcome.failedStep ?? -2) failed: \(error)")
            Foundation.exit(3)
        }
        do {
            try outcome.database?.close()
        } catch {
            CampaignOutput.progress("child: close failed: \(error)")
            Foundation.exit(3)
        }
        say("ack \(outcome.history.states.count - 1)")
    }

    /// The largest `<index>` of the lines `<prefix> <index>` (0 if none).
    func last(_ prefix: String) -> Int {
        lines.reduce(0) { result, line in
            guard line.hasPrefix(prefix + " "), let index = Int(line.dropFirst(prefix.count + 1)) else { return result }
            return max(result, index)
        }
    }
}

/// What the drain has read of the child's output.
final class DataBox: Sendable {
    private let data = Mutex(Data())
    /// Appends `chunk` and returns everything read so far.
    func append(_ chunk: Data) -> Data { data.withLock { $0.append(chunk); return $0 } }
    func get() -> Data { data.withLock { $0 } }
}
