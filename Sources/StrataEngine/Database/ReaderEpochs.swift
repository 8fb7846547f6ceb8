/// The open read views, counted per checkpoint epoch, so that a segment file stays until no
/// reader that could reach it is left.
///
/// Epochs only grow, so the counts are kept in pin order, oldest first: pinning the current
/// epoch touches the last entry, and there is rarely more than one or two entries.
struct ReaderEpochs: Sendable {
    private var counts: [(epoch: UInt64, readers: Int)] = []

    /// Records one more reader of `epoch`, which must be the newest epoch pinned so far.
    mutating func pin(_ epoch: UInt64) {
        if let last = counts.indices.last, counts[last].epoch == epoch {
            counts[last].readers += 1
        } else {
            counts.append((epoch, 1))
        }
    }

    /// Records that one reader of `epoch` is done.
    mutating func release(_ epoch: UInt64) {
        guard let index = counts.lastIndex(where: { $0.epoch == epoch }) else { return }
        if counts[index].readers > 1 {
            counts[index].readers -= 1
        } else {
            counts.remove(at: index)
        }
    }

    /// The oldest epoch a reader still holds, or nil when none is open.
    var oldest: UInt64? { counts.first?.epoch }
}
