/// What ``Database/salvage(from:into:configuration:)`` recovered and what it had to leave.
public struct SalvageReport: Sendable, Codable, Equatable {
    /// Trees written to the new database.
    public var trees = 0
    /// Keys written to the new database (after replaying the readable WAL).
    public var keys = 0
    /// Pages of the last checkpoint that could not be read (their subtrees are lost).
    public var pagesLost = 0
    /// Out-of-line values that could not be read (their keys are lost).
    public var valuesLost = 0
    /// Commits replayed from the WAL.
    public var commitsReplayed = 0
    /// Each problem met, with file and offset where known.
    public var problems: [String] = []
}

extension Database {
    /// Copies everything still readable from a damaged database at `source` into a new database
    /// at `destination`: every readable page of the last valid checkpoint, then the WAL's commits
    /// in order up to the first damaged frame. Unreadable pages, values and frames are skipped
    /// and listed in the report. The source is locked and never written.
    ///
    /// Use it when `open` or `verify` reports corruption:
    /// `strata salvage DAMAGED NEW` then `strata check NEW`.
    ///
    /// - Throws: `.locked` if the source is open; `.invalidArgument` if the destination exists
    ///   and is not empty; `.formatVersion` for a newer source format.
    @discardableResult
    public static func salvage(
        from source: String, into destination: String, configuration: Configuration = Configuration()
    ) throws -> SalvageReport {
        let fs = configuration.fileSystem
        guard try fs.kind(of: source) == .directory else {
            throw StrataError(.notADatabase, "\(source) is not a directory", path: source)
        }
        if try fs.kind(of: destination) != .missing, !(try fs.contentsOfDirectory(destination).isEmpty) {
            throw StrataError.invalidArgument("the salvage destination \(destination) exists and is not empty")
        }
        let lock = try fs.lockDirectory(source)
        defer { lock.unlock() }
        var report = SalvageReport()
        let names = try fs.contentsOfDirectory(source)

        var superblock: Superblock?
        do {
            superblock = try readSuperblock(try fs.openFile(source + "/" + DatabaseFiles.superblock, create: false))
        } catch StrataError.Code.formatVersion {
            throw StrataError(.formatVersion, "the source was written by a newer Strata; salvage it with that version", path: source)
        } catch {
            report.problems.append("superblock: \(error)")
        }

        var targetConfiguration = configuration
        targetConfiguration.flushInterval = nil
        let target = try Database.open(at: destination, configuration: targetConfiguration)
        var treeNames: [UInt32: String] = [:]
        if let superblock, let catalogAddress = superblock.catalog {
            let segments = SegmentStore(
                directory: source, fileSystem: fs, segmentSize: configuration.segmentSize,
                activeID: superblock.activeSegment, activeEnd: superblock.activeEnd, nextID: superblock.nextSegment)
            defer { segments.closeAll() }
            let store = PageStore(
                segments: segments, cache: PageCache(budget: 8 << 20),
                largeValueThreshold: configuration.largeValueThreshold, compress: false)
            do {
                let (header, payload) = try store.unframe(catalogAddress)
                guard header.kind == .catalog, let catalog = try? Catalog.decode(payload, formatVersion: superblock.formatVersion) else {
                    throw store.corruption("catalog page does not decode", catalogAddress)
                }
                for record in catalog.trees {
                    treeNames[record.id] = record.name
                    let tree = try target.openTree(
                        record.name, settings: record.settings, owner: record.owner.map(TreeOwner.init))
                    report.trees += 1
                    var batch: [(key: [UInt8], value: [UInt8])] = []
                    func flush() throws {
                        guard !batch.isEmpty else { return }
                        try target.write { tx in for (key, value) in batch { try tx.insert(value, forKey: key, in: tree) } }
                        batch.removeAll(keepingCapacity: true)
                    }
                    if let root = record.root {
                        try copyReadable(root, store: store, report: &report) { key, value in
                            batch.append((key, value))
                            if batch.count >= 1000 { try flush() }
                        }
                    }
                    try flush()
                }
            } catch let error as StrataError where error.code == .corruption || error.code == .ioFailure || error.code == .fileNotFound {
                report.problems.append("catalog: \(error)")
            }
        }

        // Replay the WAL in order, up to the first damaged frame.
        let start = superblock?.walStart ?? 0
        let checkpointSequence = superblock?.sequence ?? 0
        var expected: UInt64? = superblock == nil ? nil : checkpointSequence + 1
        replay: for id in names.compactMap(DatabaseFiles.walID(fromName:)).filter({ $0 >= start }).sorted() {
            let path = source + "/" + DatabaseFiles.wal(id)
            let bytes: [UInt8]
            do {
                let file = try fs.openFile(path, create: false)
                defer { try? file.close() }
                bytes = try file.readExactly(at: 0, count: Int(try file.length()))
            } catch {
                report.problems.append("WAL \(path): \(error)")
                break
            }
            var offset = LogFrame.fileHeaderSize
            while offset < bytes.count {
                guard case .frame(let sequence, let operations, let size) = LogFrame.parse(bytes, at: offset) else {
                    report.problems.append("WAL frame damaged at \(path) @ \(offset); later commits are not replayed")
                    break replay
                }
                if let expected, sequence != expected {
                    report.problems.append("WAL sequence \(sequence) at \(path) @ \(offset), expected \(expected); stopping")
                    break replay
                }
                expected = sequence + 1
                try replaySalvaged(operations.decoded, into: target, names: &treeNames)
                report.commitsReplayed += 1
                offset += size
            }
        }
        report.keys = try target.treeNames().reduce(0) { $0 + (try target.existingTree($1)?.count ?? 0) }
        report.trees = try target.treeNames().count
        try target.close()
        return report
    }

    /// Calls `emit` for every entry reachable through readable pages under `address`.
    private static func copyReadable(
        _ address: PageAddress, store: PageStore, report: inout SalvageReport,
        _ emit: ([UInt8], [UInt8]) throws -> Void
    ) throws {
        let node: PageNode
        do {
            node = try store.decodeTreePage(address)
        } catch {
            report.pagesLost += 1
            report.problems.append("page lost: \(error)")
            return
        }
        if node.kind == .branch {
            for child in unsafeDowncast(node, to: BranchNode.self).children {
                try copyReadable(child.address, store: store, report: &report, emit)
            }
            return
        }
        let leaf = unsafeDowncast(node, to: LeafNode.self)
        for i in 0..<leaf.count {
            do {
                try emit(leaf.key(at: i), try StoredValue.read(leaf, at: i).resolve(store))
            } catch let error as StrataError where error.code == .corruption || error.code == .ioFailure {
                report.valuesLost += 1
                report.problems.append("value lost: \(error)")
            }
        }
    }

    /// Applies one salvaged commit's operations to the new database, mapping tree ids to names.
    private static func replaySalvaged(_ operations: [Operation], into target: Database, names: inout [UInt32: String]) throws {
        for operation in operations {
            if case .createTree(let id, let name, let settings, let owner) = operation {
                names[id] = name
                _ = try target.openTree(name, settings: settings, owner: owner.map(TreeOwner.init))
            }
        }
        // Owned trees are written with their owner's handle.
        func tree(_ name: String, in tx: Transaction) throws -> Tree {
            try tx.createTree(name, owner: try target.treeState(named: name)?.owner.map(TreeOwner.init))
        }
        try target.write { tx in
            for operation in operations {
                guard let name = names[operation.treeID] else { continue }
                switch operation {
                case .put(_, let key, let value): try tx.insert(value, forKey: key, in: try tree(name, in: tx))
                case .remove(_, let key): try tx.remove(key, from: try tree(name, in: tx))
                case .clear: try tx.clear(try tree(name, in: tx))
                case .dropTree: _ = try tx.dropTree(name, owner: try target.treeState(named: name)?.owner.map(TreeOwner.init))
                case .createTree: break
                }
            }
        }
        for operation in operations {
            if case .dropTree(let id) = operation { names[id] = nil }
        }
    }
}
