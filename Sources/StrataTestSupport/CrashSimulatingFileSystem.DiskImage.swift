extension CrashSimulatingFileSystem {
    /// Directory entries and file contents being rebuilt from durable state plus some changes.
    struct DiskImage {
        var files: [String: Int]
        var contents: [Int: [UInt8]]

        mutating func apply(_ change: Change) {
            switch change {
            case .write(let inode, let offset, let bytes, _):
                bytes.withUnsafeBytes { contents[inode, default: []].overwrite($0, at: offset) }
            case .setLength(let inode, let length, _):
                contents[inode, default: []].resize(to: length)
            case .create(let path, let inode):
                files[path] = inode
            case .remove(let path):
                files[path] = nil
            case .rename(let source, let destination, let inode):
                if files[source] == inode { files[source] = nil }
                files[destination] = inode
            }
        }

        /// Applies `change`, but if it is a write, only a random prefix of its bytes, followed
        /// (with `garbage`) by random bytes up to the next 512-byte sector boundary.
        mutating func applyTorn(
            _ change: Change, garbage: Bool, using rng: inout some RandomNumberGenerator
        ) {
            guard case .write(let inode, let offset, let bytes, _) = change else { return apply(change) }
            let intact = Int.random(in: 0...bytes.count, using: &rng)
            var surviving = Array(bytes.prefix(intact))
            if garbage {
                let sector = 512
                let tearAt = offset + intact
                let sectorEnd = (tearAt + sector - 1) / sector * sector
                let garbageEnd = min(sectorEnd, offset + bytes.count)
                for _ in tearAt..<max(tearAt, garbageEnd) { surviving.append(UInt8.random(in: 0...255, using: &rng)) }
            }
            surviving.withUnsafeBytes { contents[inode, default: []].overwrite($0, at: offset) }
        }
    }
}
