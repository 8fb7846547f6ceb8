/// Both slots of the `SUPERBLOCK` file as open reads them: the checkpoint to recover from (the
/// valid slot with the higher epoch) and what the other slot holds.
///
/// The other slot matters twice: its WAL start bounds which WAL files open may delete (the
/// older checkpoint must stay replayable), and when it is damaged, the chosen slot may be a
/// fallback past a newer checkpoint, which an error must say.
struct SuperblockSlots {
    /// What one slot holds.
    enum Slot: Equatable {
        case valid(Superblock)
        /// Never written: all zero bytes (slot 1 of a database that has not checkpointed yet).
        case blank
        /// Neither valid nor blank: a torn slot write, or bytes changed on the disk.
        case damaged
        /// A well-formed slot of a newer format this build cannot read.
        case newerVersion(UInt32)
    }

    /// Slot 0 and slot 1.
    var slots: [Slot]
    /// The valid slot with the higher epoch.
    var chosen: Superblock
    /// The index of the chosen slot.
    var chosenIndex: Int

    /// The other slot's checkpoint, when that slot is valid (it is then the older one).
    var older: Superblock? {
        if case .valid(let superblock) = slots[1 - chosenIndex] { return superblock }
        return nil
    }

    /// Whether the other slot is damaged, so that the chosen checkpoint may be older than the
    /// newest one written.
    var otherIsDamaged: Bool { slots[1 - chosenIndex] == .damaged }

    /// Reads both slots of `file`.
    ///
    /// - Throws: `.formatVersion` if a slot has a newer format, `.corruption` if neither slot is
    ///   valid.
    static func read(_ file: any StorageFile) throws -> SuperblockSlots {
        var slots: [Slot] = []
        for slot in 0..<2 {
            var bytes = [UInt8](repeating: 0, count: Superblock.encodedSize)
            let got = try bytes.withUnsafeMutableBytes { try file.read(at: Int64(slot * Superblock.slotSize), into: $0) }
            if got < Superblock.encodedSize {
                slots.append(bytes[0..<got].allSatisfy { $0 == 0 } ? .blank : .damaged)
                continue
            }
            switch Superblock.decode(bytes) {
            case .valid(let superblock): slots.append(.valid(superblock))
            case .newerVersion(let version): slots.append(.newerVersion(version))
            case .invalid: slots.append(bytes.allSatisfy { $0 == 0 } ? .blank : .damaged)
            }
        }
        var best: (index: Int, superblock: Superblock)?
        var newer: UInt32?
        for (index, slot) in slots.enumerated() {
            switch slot {
            case .valid(let candidate):
                if best == nil || candidate.epoch > best!.superblock.epoch { best = (index, candidate) }
            case .newerVersion(let version):
                newer = max(newer ?? 0, version)
            case .blank, .damaged:
                continue
            }
        }
        if let newer, best == nil || newer > best!.superblock.formatVersion {
            throw StrataError(
                .formatVersion,
                "the database was written in format version \(newer); this build reads up to \(Superblock.currentFormatVersion). Upgrade Strata to open it",
                path: file.path)
        }
        guard let best else {
            throw StrataError.corruption("both superblock slots are damaged", path: file.path, offset: 0)
        }
        return SuperblockSlots(slots: slots, chosen: best.superblock, chosenIndex: best.index)
    }
}
