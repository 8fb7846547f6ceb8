import StrataEngine

/// Opens a database from a ``PackedDatabaseImage`` held in memory and checks that the engine
/// either reaches a consistent state or refuses with a ``StrataError``: the property the
/// `fuzz-open` target checks and its regression tests replay.
public enum DatabaseOpenProbe {
    /// Unpacks `input`, opens it, reads every tree fully, verifies and closes; when all of that
    /// worked, reopens and verifies again. Returns a description of the first broken promise,
    /// or nil if there is none. A trap in the engine is not caught: it ends the process.
    public static func check(_ input: [UInt8]) -> String? {
        let fileSystem = MemoryFileSystem()
        let path = "/db"
        do {
            try PackedDatabaseImage(unpacking: input).write(to: path, in: fileSystem)
        } catch {
            return "could not lay out the image: \(error)"
        }
        var configuration = Database.Configuration(fileSystem: fileSystem)
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        configuration.cacheBytes = 1 << 20
        do {
            let consistent = try openReadVerifyClose(path, configuration)
            guard consistent.failure == nil else { return consistent.failure }
            guard consistent.verified else { return nil }
            // A database that opened, verified and closed cleanly must reopen to the same trees.
            let database = try Database.open(at: path, configuration: configuration)
            defer { try? database.close() }
            try database.verify()
            let counts = try treeCounts(database)
            guard counts == consistent.counts else {
                return "after close and reopen the trees hold \(counts), before they held \(consistent.counts)"
            }
            try database.close()
            return nil
        } catch is StrataError {
            return nil
        } catch {
            return "threw a non-Strata error: \(error)"
        }
    }

    /// Whether the packed database `input` opens, reads back consistently, passes `verify()`
    /// and closes: a valid image, as every seed in `Fuzz/corpus/open` must be.
    public static func opensAndVerifies(_ input: [UInt8]) -> Bool {
        let fileSystem = MemoryFileSystem()
        let path = "/db"
        guard (try? PackedDatabaseImage(unpacking: input).write(to: path, in: fileSystem)) != nil else { return false }
        var configuration = Database.Configuration(fileSystem: fileSystem)
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        configuration.cacheBytes = 1 << 20
        guard let outcome = try? openReadVerifyClose(path, configuration) else { return false }
        return outcome.verified && outcome.failure == nil
    }

    private struct Outcome {
        var verified = false
        var counts: [String: Int] = [:]
        var failure: String?
    }

    private static func openReadVerifyClose(_ path: String, _ configuration: Database.Configuration) throws -> Outcome {
        let database = try Database.open(at: path, configuration: configuration)
        defer { try? database.close() }
        var outcome = Outcome()
        var readFailure: (any Error)?
        do {
            outcome.counts = try treeCounts(database)
        } catch {
            readFailure = error
        }
        do {
            try database.verify()
        } catch let error as StrataError {
            _ = error
            try database.close()
            return outcome
        }
        if let readFailure {
            outcome.failure = "verify() passed but reading the trees failed: \(readFailure)"
            return outcome
        }
        try database.close()
        outcome.verified = true
        return outcome
    }

    /// Reads every entry of every tree, forward and in reverse; checks each tree's count.
    private static func treeCounts(_ database: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for name in try database.treeNames() {
            guard let tree = try database.existingTree(name) else {
                throw ProbeFailure("tree \(name) is listed but does not exist")
            }
            var forward = 0
            var previous: [UInt8]?
            var cursor = try tree.range(.unbounded, .unbounded)
            try cursor.forEach { entry in
                if let previous, !previous.lexicographicallyPrecedes(entry.key) {
                    throw ProbeFailure("tree \(name): keys out of order")
                }
                previous = entry.key
                forward += 1
            }
            var backward = 0
            var reverse = try tree.range(.unbounded, .unbounded, reverse: true)
            try reverse.forEach { _ in backward += 1 }
            let count = try tree.count
            guard forward == count, backward == count else {
                throw ProbeFailure("tree \(name): count() is \(count) but \(forward) entries forward, \(backward) in reverse")
            }
            counts[name] = count
        }
        return counts
    }

    private struct ProbeFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
