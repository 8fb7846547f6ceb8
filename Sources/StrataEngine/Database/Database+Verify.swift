/// What ``Database/verify()`` checked.
public struct VerificationReport: Sendable, Codable, Equatable {
    public var trees = 0
    public var pages = 0
    public var keys = 0
    public var outOfLineValues = 0
    public var bytes: UInt64 = 0
}

extension Database {
    /// Reads every page of the last checkpoint from disk and checks its checksum, that keys
    /// are in order and inside their parent's bounds, that counts match, and that the
    /// per-segment live bytes equal what the trees reference; then walks the current trees
    /// (including changes since the checkpoint) for order and counts.
    ///
    /// - Throws: ``StrataError/Code/corruption`` naming the file and offset of the first problem.
    @discardableResult
    public func verify() throws -> VerificationReport {
        try writerOwner.withLock(writer, call: "db.verify()") { w in
            guard !published.withLock({ $0.closed }) else { throw closedError() }
            var report = VerificationReport()
            var live: [UInt32: UInt64] = [:]
            for record in w.durableTrees {
                report.trees += 1
                guard let root = record.root else {
                    guard record.count == 0 else { throw countMismatch(record.name, expected: record.count, found: 0) }
                    continue
                }
                let keys = try verifyStored(root, lower: nil, upper: nil, &report, &live)
                guard keys == record.count else { throw countMismatch(record.name, expected: record.count, found: keys) }
            }
            for info in w.segments.values where live[info.id, default: 0] != info.liveBytes {
                throw StrataError.corruption(
                    "segment live bytes are \(info.liveBytes) in the catalog but the trees reference \(live[info.id, default: 0])",
                    path: store.segments.path(of: info.id), offset: 0)
            }
            let trees = published.withLock { $0.trees }
            for tree in trees.values {
                var cursor = TreeCursor(
                    view: TreeView(state: tree, store: store, pin: ReaderPin(database: self, epoch: published.withLock { s in
                        s.readers.pin(s.epoch)
                        return s.epoch
                    })), lower: .unbounded, upper: .unbounded, reverse: false)
                var previous: [UInt8]?
                var count: UInt64 = 0
                while let entry = try cursor.next() {
                    if let previous, compareKeys(previous, entry.key) >= 0 {
                        throw StrataError(.corruption, "keys of tree \(tree.name) are out of order in memory")
                    }
                    previous = entry.key
                    count += 1
                }
                guard count == tree.count else { throw countMismatch(tree.name, expected: tree.count, found: count) }
            }
            return report
        }
    }

    private func countMismatch(_ name: String, expected: UInt64, found: UInt64) -> StrataError {
        StrataError(.corruption, "tree \(name) records \(expected) keys but holds \(found)")
    }

    /// Checks a stored subtree; returns its key count.
    private func verifyStored(
        _ address: PageAddress, lower: [UInt8]?, upper: [UInt8]?, _ report: inout VerificationReport,
        _ live: inout [UInt32: UInt64]
    ) throws -> UInt64 {
        let node = try store.decodeTreePage(address)
        report.pages += 1
        report.bytes += UInt64(address.length)
        live[address.segment, default: 0] += UInt64(address.length)
        func outOfBounds(_ key: [UInt8]) -> Bool {
            (lower.map { compareKeys(key, $0) < 0 } ?? false) || (upper.map { compareKeys(key, $0) >= 0 } ?? false)
        }
        if node.kind == .leaf {
            let leaf = unsafeDowncast(node, to: LeafNode.self)
            var previous: [UInt8]?
            for i in 0..<leaf.count {
                let key = leaf.key(at: i)
                if let previous, compareKeys(previous, key) >= 0 || outOfBounds(key) {
                    throw store.corruption("leaf keys are out of order", address)
                }
                if outOfBounds(key) { throw store.corruption("leaf key lies outside its parent's range", address) }
                previous = key
                if let blob = leaf.externalAddress(at: i) {
                    let value = try store.blob(blob)
                    guard value.count == Int(leaf.slot(at: i).valueLength) else {
                        throw store.corruption("out-of-line value has the wrong length", blob)
                    }
                    report.outOfLineValues += 1
                    report.bytes += UInt64(blob.length)
                    live[blob.segment, default: 0] += UInt64(blob.length)
                }
            }
            report.keys += leaf.count
            return UInt64(leaf.count)
        }
        let branch = unsafeDowncast(node, to: BranchNode.self)
        var keys: UInt64 = 0
        for (i, child) in branch.children.enumerated() {
            let childLower = i == 0 ? lower : branch.separator(at: i - 1)
            let childUpper = i == branch.separatorCount ? upper : branch.separator(at: i)
            if let childLower, outOfBounds(childLower), childLower != lower {
                throw store.corruption("branch separators are out of order", address)
            }
            keys += try verifyStored(child.address, lower: childLower, upper: childUpper, &report, &live)
        }
        return keys
    }
}
