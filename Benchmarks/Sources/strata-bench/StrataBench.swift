import ArgumentParser
import BenchCore
import Foundation

/// `strata-bench`: WORKLOADS.md's db_bench-style workloads for Strata and its
/// peers, one child process per engine, one JSON line per (engine, workload).
@main
struct StrataBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata-bench",
        abstract: "Run the db_bench-style workloads of WORKLOADS.md against Strata and its peers.",
        discussion: """
            Each engine runs in its own child process (this program re-executed), so engines \
            never share a process. Results go to standard output as JSON lines (and to --out); \
            progress goes to standard error.

            Standard workloads: \(Workload.allCases.map(\.rawValue).joined(separator: ", ")). \
            Beyond db_bench: synccommit (synced commits from --threads threads), space \
            (bytes on disk over --space-rounds overwrite rounds of --space-n keys), scale             (N keys under an equal memory budget per engine, then --scale-reads gets and             --scale-overwrites puts; run alone: --workloads scale).

            The strata peer is only built with STRATA_BENCH_ENGINE=1 set at build time.
            """
    )

    @Option(help: "N, the number of keys.")
    var n = 1_000_000

    @Option(help: "The seed of every generator.")
    var seed: UInt64 = 42

    @Option(name: .customLong("sync-n"), help: "SYNC_N, the number of syncwrite commits (and synccommit commits per thread count).")
    var syncN = 2000

    @Option(help: "Comma-separated engines: \(PeerCatalog.allNames.joined(separator: ",")). Default: every engine this build has.")
    var peers: String?

    @Option(help: "Comma-separated workloads. Default: the eight standard ones.")
    var workloads = Workload.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Directory for the databases; each engine works in DIR/ENGINE, removed afterwards.")
    var dir = "/tmp/strata-bench"

    @Option(help: "Also write the JSON lines to this file (truncated first).")
    var out: String?

    @Option(help: "Puts per batch.")
    var batch = 1000

    @Option(help: "Thread counts of synccommit, comma-separated.")
    var threads = "1,2,4,8"

    @Option(name: .customLong("space-n"), help: "Keys of the space workload (default N/10).")
    var spaceN: Int?

    @Option(name: .customLong("space-rounds"), help: "Overwrite rounds of the space workload.")
    var spaceRounds = 5

    @Option(name: .customLong("scale-reads"), help: "Gets of the scale workload's readrandom phase.")
    var scaleReads = 1_000_000

    @Option(name: .customLong("scale-overwrites"), help: "Puts of the scale workload's overwrite phase.")
    var scaleOverwrites = 1_000_000

    @Option(name: .customLong("scale-budget-mib"), help: "The scale workload's cache and write-buffer budget, MiB each.")
    var scaleBudgetMiB = 64

    @Option(name: .customLong("scale-time-limit"), help: "Seconds after which the scale fill stops and reports the keys it wrote (0: none).")
    var scaleTimeLimit = 0.0

    @Option(name: .customLong("child-peer"), help: .hidden)
    var childPeer: String?

    mutating func validate() throws {
        guard n > 0 else { throw ValidationError("--n must be positive") }
        guard n <= Int(UInt32.max) else { throw ValidationError("--n must fit in 32 bits") }
        guard syncN >= 0, batch > 0, spaceRounds >= 0 else {
            throw ValidationError("--sync-n and --space-rounds must be non-negative, --batch positive")
        }
        let (standard, beyond) = try selection()
        if beyond.contains(.scale) && (beyond.count > 1 || !standard.isEmpty) {
            throw ValidationError("run the scale workload alone (--workloads scale): its process's I/O and peak RSS must be its own")
        }
        guard scaleReads >= 0, scaleOverwrites >= 0, scaleBudgetMiB > 0, scaleTimeLimit >= 0 else {
            throw ValidationError("--scale-reads, --scale-overwrites and --scale-time-limit must be non-negative, --scale-budget-mib positive")
        }
        for name in try peerNames() where !PeerCatalog.allNames.contains(name) {
            throw ValidationError("unknown peer '\(name)'; choose from \(PeerCatalog.allNames.joined(separator: ","))")
        }
    }

    func run() throws {
        if let childPeer {
            try runChild(childPeer)
        } else {
            try runParent()
        }
    }

    // MARK: Parent

    func runParent() throws {
        var output: FileHandle?
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil) else {
                throw ValidationError("cannot create --out file \(out)")
            }
            output = FileHandle(forWritingAtPath: out)
        }
        defer { try? output?.close() }
        var failed: [String] = []
        for name in try peerNames() {
            guard PeerCatalog.make(name) != nil else {
                log("\(name): not in this build; rebuild with STRATA_BENCH_ENGINE=1 once StrataEngine compiles")
                failed.append(name)
                continue
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            process.arguments = childArguments(name)
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let reader = pipe.fileHandleForReading
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                FileHandle.standardOutput.write(chunk)
                output?.write(chunk)
            }
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                log("\(name): child exited with status \(process.terminationStatus)")
                failed.append(name)
            }
        }
        if !failed.isEmpty {
            log("failed or skipped: \(failed.joined(separator: ", "))")
            throw ExitCode(1)
        }
    }

    func childArguments(_ name: String) -> [String] {
        var arguments = [
            "--n", String(n), "--seed", String(seed), "--sync-n", String(syncN),
            "--workloads", workloads, "--dir", dir, "--batch", String(batch),
            "--threads", threads, "--space-rounds", String(spaceRounds), "--child-peer", name,
        ]
        if let spaceN { arguments += ["--space-n", String(spaceN)] }
        arguments += [
            "--scale-reads", String(scaleReads), "--scale-overwrites", String(scaleOverwrites),
            "--scale-budget-mib", String(scaleBudgetMiB), "--scale-time-limit", String(scaleTimeLimit),
        ]
        return arguments
    }

    // MARK: Child

    func runChild(_ name: String) throws {
        guard let peer = PeerCatalog.make(name) else { throw ValidationError("peer \(name) is not in this build") }
        let (standard, beyond) = try selection()
        let configuration = WorkloadConfiguration(
            n: n, seed: seed, syncN: syncN, batchSize: batch, directory: dir,
            workloads: standard, beyond: beyond, commitThreads: try commaSeparated(threads).map(parseInt),
            spaceN: spaceN ?? max(n / 10, 1), spaceRounds: spaceRounds
        )
        let emit: (WorkloadResult) -> Void = { result in
            // Unbuffered, so that the parent sees each line as soon as it is final.
            FileHandle.standardOutput.write(Data((result.jsonLine + "\n").utf8))
        }
        let progress: (String) -> Void = { step in log("[\(name)] \(step)") }
        try DiskUsage.makeDirectory(dir)
        if !standard.isEmpty {
            try WorkloadRunner(peer: peer, configuration: configuration, emit: emit, progress: progress).run()
        }
        if beyond.contains(.synccommit) {
            try ConcurrentCommitRunner(peer: peer, configuration: configuration, progress: progress).run(emit: emit)
        }
        if beyond.contains(.space) {
            try SpaceRoundsRunner(peer: peer, configuration: configuration, progress: progress).run(emit: emit)
        }
        if beyond.contains(.scale) {
            let scale = ScaleConfiguration(
                n: n, seed: seed, batchSize: batch, directory: dir, reads: scaleReads, overwrites: scaleOverwrites,
                memory: MemoryBudget(cacheBytes: scaleBudgetMiB << 20, writeBufferBytes: scaleBudgetMiB << 20),
                fillTimeLimit: scaleTimeLimit > 0 ? scaleTimeLimit : nil)
            try ScaleRunner(peer: peer, configuration: scale, progress: progress).run { result in
                FileHandle.standardOutput.write(Data((result.jsonLine + "\n").utf8))
            }
        }
        try? DiskUsage.remove(dir + "/" + name)
    }

    // MARK: Arguments

    func peerNames() throws -> [String] {
        guard let peers else { return PeerCatalog.availableNames }
        return try commaSeparated(peers)
    }

    func selection() throws -> (Set<Workload>, Set<BeyondWorkload>) {
        var standard = Set<Workload>()
        var beyond = Set<BeyondWorkload>()
        for name in try commaSeparated(workloads) {
            if let workload = Workload(rawValue: name) {
                standard.insert(workload)
            } else if let workload = BeyondWorkload(rawValue: name) {
                beyond.insert(workload)
            } else {
                let known = Workload.allCases.map(\.rawValue) + BeyondWorkload.allCases.map(\.rawValue)
                throw ValidationError("unknown workload '\(name)'; choose from \(known.joined(separator: ","))")
            }
        }
        return (standard, beyond)
    }

    func commaSeparated(_ list: String) throws -> [String] {
        let items = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw ValidationError("empty list '\(list)'") }
        return items
    }

    func parseInt(_ text: String) throws -> Int {
        guard let value = Int(text), value > 0 else { throw ValidationError("'\(text)' is not a positive integer") }
        return value
    }
}

/// A line for a person, on standard error.
func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
