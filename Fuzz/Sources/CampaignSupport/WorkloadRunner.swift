import StrataEngine

/// Runs a ``Workload`` against a database and records, in a ``ModelHistory``, the state after
/// every commit and which commits were acknowledged durable.
public struct WorkloadRunner {
    /// How a run ended.
    public struct Outcome {
        /// The model of every commit attempted.
        public var history: ModelHistory
        /// The first error thrown, if any; the run stops there.
        public var error: (any Error)?
        /// The step that threw (-1 for opening or creating the trees).
        public var failedStep: Int?
        /// The database, still open unless a step closed it or the failure was in opening.
        public var database: Database?

        /// After a run with the power cut: closes the database if the run got through (all
        /// then acknowledged, if the close did too) and returns the history, or what failed
        /// with an error other than the power loss (or writes refused because of it).
        public func afterPowerLoss() -> (history: ModelHistory, failure: String?) {
            var history = history
            func isPowerLoss(_ error: any Error) -> Bool {
                guard let strata = error as? StrataError else { return false }
                return strata.code == .ioFailure || strata.code == .writesDisabled
            }
            if let error {
                guard isPowerLoss(error) else {
                    return (history, "step \(failedStep ?? -2) failed with an error other than the power loss: \(error)")
                }
            } else if let database {
                do {
                    try database.close()
                    history.acknowledgeAll()
                } catch {
                    guard isPowerLoss(error) else { return (history, "close failed with an error other than the power loss: \(error)") }
                }
            }
            return (history, nil)
        }
    }

    /// The configuration the campaigns use: tiny pages and segments and the smallest dirty and
    /// WAL budgets, so page splits, segment rolls, checkpoints and GC happen every few commits;
    /// no background task, so durability is explicit and a run is deterministic.
    public static func configuration(fileSystem: any FileSystem, segmentGCRatio: Double = 0.5) -> Database.Configuration {
        var configuration = Database.Configuration(fileSystem: fileSystem)
        configuration.pageSize = 1024
        configuration.segmentSize = 64 << 10
        configuration.dirtyBytes = 64 << 10
        configuration.walBytes = 64 << 10
        configuration.cacheBytes = 1 << 20
        configuration.largeValueThreshold = 256
        configuration.segmentGCRatio = segmentGCRatio
        configuration.flushInterval = nil
        configuration.checkpointInterval = nil
        configuration.defaultDurability = .buffered
        return configuration
    }

    public let workload: Workload
    public let path: String
    public let configuration: Database.Configuration
    /// Called with the history index each time a commit is acknowledged durable.
    public var onAcknowledged: (Int) -> Void = { _ in }

    public init(workload: Workload, path: String, fileSystem: any FileSystem) {
        self.workload = workload
        self.path = path
        self.configuration = WorkloadRunner.configuration(fileSystem: fileSystem, segmentGCRatio: workload.segmentGCRatio)
    }

    /// Opens the database (creating it), creates the trees, and runs every step; stops at the
    /// first error. The database is left open (the caller closes it or drops it).
    public func run(history initial: ModelHistory = ModelHistory()) -> Outcome {
        var history = initial
        let db: Database
        do {
            db = try Database.open(at: path, configuration: configuration)
        } catch {
            return Outcome(history: history, error: error, failedStep: -1, database: nil)
        }
        var database: Database? = db
        var trees: [Tree] = []
        do {
            for name in Workload.treeNames {
                if let tree = try db.existingTree(name) {
                    trees.append(tree)
                } else {
                    var next = history.current
                    next[name] = [:]
                    history.record(next)
                    trees.append(try db.tree(name, settings: Workload.settings(of: name)))
                }
            }
            try db.flush()
            history.acknowledgeAll()
            onAcknowledged(history.acknowledged)
        } catch {
            return Outcome(history: history, error: error, failedStep: -1, database: db)
        }
        for (index, step) in workload.steps.enumerated() {
            do {
                switch step {
                case .commit(let mutations, let durable):
                    // Recorded before the call: a commit that throws may still have been logged.
                    history.record(ModelHistory.apply(mutations, to: history.current))
                    try database!.write(durability: durable ? .synced : .buffered) { tx in
                        for mutation in mutations {
                            switch mutation {
                            case .put(let t, let key, let value):
                                try tx.insert(value, forKey: key, in: trees[t])
                            case .remove(let t, let key):
                                try tx.remove(key, from: trees[t])
                            case .append(let t, let key, let suffix):
                                let old = try tx[trees[t]].get(key) ?? []
                                try tx.insert(old + suffix, forKey: key, in: trees[t])
                            case .clear(let t):
                                try tx.clear(trees[t])
                            case .putOverBound(let t, let key, let length):
                                do {
                                    try tx.insert([UInt8](repeating: 1, count: length), forKey: key, in: trees[t])
                                } catch let error as StrataError where error.code == .invalidArgument {
                                    continue
                                }
                                throw CampaignFailure(
                                    "a put of \(length) bytes taking the batch past Limits.maxBatchBytes (\(Limits.maxBatchBytes)) was accepted")
                            }
                        }
                    }
                    if durable {
                        history.acknowledgeAll()
                        onAcknowledged(history.acknowledged)
                    }
                case .flush:
                    try database!.flush()
                    history.acknowledgeAll()
                    onAcknowledged(history.acknowledged)
                case .checkpoint:
                    try database!.checkpoint()
                    history.acknowledgeAll()
                    onAcknowledged(history.acknowledged)
                case .dropAndRecreate(let t, let afterDrop, let afterRecreate):
                    let name = Workload.treeNames[t]
                    let stale = trees[t]
                    let states = ModelHistory.dropAndRecreate(t, in: history.current)
                    history.record(states[0])
                    guard try database!.dropTree(name) else { throw CampaignFailure("dropTree(\(name)) found no tree") }
                    if let afterDrop { try Self.expectRefused(afterDrop, through: stale, in: database!) }
                    history.record(states[1])
                    trees[t] = try database!.tree(name)
                    if let afterRecreate { try Self.expectRefused(afterRecreate, through: stale, in: database!) }
                case .reopen:
                    let old = database!
                    database = nil
                    try old.close()
                    // A clean close checkpoints: everything is durable.
                    history.acknowledgeAll()
                    onAcknowledged(history.acknowledged)
                    let reopened = try Database.open(at: path, configuration: configuration)
                    database = reopened
                    trees = try Workload.treeNames.map { name in
                        guard let tree = try reopened.existingTree(name) else {
                            throw CampaignFailure("tree \(name) missing after a clean reopen")
                        }
                        return tree
                    }
                }
            } catch {
                return Outcome(history: history, error: error, failedStep: index, database: database)
            }
        }
        return Outcome(history: history, error: nil, failedStep: nil, database: database)
    }

    /// Writes through `stale`, the handle of a dropped tree: the write must throw `notFound`
    /// (and log nothing, which recovery checks against the model). Other errors (a power loss)
    /// are rethrown.
    static func expectRefused(_ write: Workload.StaleWrite, through stale: Tree, in db: Database) throws {
        do {
            switch write {
            case .insert(let key, let value): _ = try stale.insert(value, forKey: key)
            case .remove(let key): try db.write { tx in try tx.remove(key, from: stale) }
            case .clear: try stale.clear()
            }
        } catch let error as StrataError where error.code == .notFound {
            return
        }
        throw CampaignFailure("\(write) through the handle of dropped tree \(stale.name) was accepted")
    }

    /// The history a run of `workload` without failures produces, computed from the model alone
    /// (for a parent process rebuilding what a child did). Nothing is acknowledged in it.
    public static func simulate(_ workload: Workload) -> ModelHistory {
        var history = ModelHistory()
        for name in Workload.treeNames {
            var next = history.current
            next[name] = [:]
            history.record(next)
        }
        for step in workload.steps {
            switch step {
            case .commit(let mutations, _):
                history.record(ModelHistory.apply(mutations, to: history.current))
            case .dropAndRecreate(let t, _, _):
                for state in ModelHistory.dropAndRecreate(t, in: history.current) { history.record(state) }
            case .flush, .checkpoint, .reopen:
                break
            }
        }
        return history
    }
}

/// A check that failed, with what was found.
public struct CampaignFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
