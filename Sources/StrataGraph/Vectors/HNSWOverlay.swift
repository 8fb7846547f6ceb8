/// A transaction's own view of the graph's nodes, over the committed ones: every node the
/// transaction changed or read from its rows (the states as it leaves them), and the slots it
/// freed. A slot the overlay does not hold is as the last commit left it (the search cache, or
/// the rows). Indexed by slot in a flat array, so that a walk asks it at every visit for the
/// price of an array read.
struct HNSWOverlay {
    /// Per slot: its position in `states`, `absent` or `freed`.
    private var position: [Int32] = []
    private var states: [HNSWNodeState] = []
    private var slotOf: [UInt32] = []

    private static let absent: Int32 = -1
    private static let freed: Int32 = -2

    /// Whether the overlay decides `slot` (holds its state, or freed it).
    @inline(__always)
    func holds(_ slot: UInt32) -> Bool {
        let index = Int(slot)
        return index < position.count && position[index] != Self.absent
    }

    /// The state of `slot` (nil when the overlay freed it or does not hold it).
    @inline(__always)
    subscript(_ slot: UInt32) -> HNSWNodeState? {
        let index = Int(slot)
        guard index < position.count else { return nil }
        let at = position[index]
        return at >= 0 ? states[Int(at)] : nil
    }

    /// Whether this transaction freed `slot` (and has not reused it).
    func isFreed(_ slot: UInt32) -> Bool {
        let index = Int(slot)
        return index < position.count && position[index] == Self.freed
    }

    /// Calls `body` with the prepared vector of `slot` in place, if the overlay holds its state.
    @inline(__always)
    func withVector<R>(_ slot: UInt32, _ body: (UnsafePointer<Float>, HNSWNodeState) -> R) -> R? {
        let index = Int(slot)
        guard index < position.count else { return nil }
        let at = position[index]
        guard at >= 0 else { return nil }
        let state = states[Int(at)]
        return state.point.vector.withUnsafeBufferPointer { body($0.baseAddress!, state) }
    }

    /// Sets the state of `slot`.
    mutating func set(_ slot: UInt32, _ state: HNSWNodeState) {
        let index = Int(slot)
        if index >= position.count { position.append(contentsOf: repeatElement(Self.absent, count: index + 1 - position.count)) }
        let at = position[index]
        if at >= 0 {
            states[Int(at)] = state
        } else {
            position[index] = Int32(states.count)
            states.append(state)
            slotOf.append(slot)
        }
    }

    /// Changes the state of `slot` in place (no copy of its lists). false when it holds none.
    @discardableResult
    mutating func modify(_ slot: UInt32, _ body: (inout HNSWNodeState) -> Void) -> Bool {
        let index = Int(slot)
        guard index < position.count, position[index] >= 0 else { return false }
        body(&states[Int(position[index])])
        return true
    }

    /// Marks `slot` freed by this transaction.
    mutating func free(_ slot: UInt32) {
        let index = Int(slot)
        if index >= position.count { position.append(contentsOf: repeatElement(Self.absent, count: index + 1 - position.count)) }
        position[index] = Self.freed
    }

    /// Forgets that `slot` was freed (it is taken again).
    mutating func unfree(_ slot: UInt32) {
        if isFreed(slot) { position[Int(slot)] = Self.absent }
    }

    /// Every held state, with its slot, in the order first set.
    var entries: [(slot: UInt32, state: HNSWNodeState)] {
        var result: [(slot: UInt32, state: HNSWNodeState)] = []
        result.reserveCapacity(states.count)
        for (at, slot) in slotOf.enumerated() where position[Int(slot)] == Int32(at) { result.append((slot, states[at])) }
        return result
    }
}
