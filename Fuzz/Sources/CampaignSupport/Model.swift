/// The contents of a database: tree name to key to value. A tree that does not exist is absent
/// (unlike an empty tree).
public typealias ModelState = [String: [[UInt8]: [UInt8]]]

/// The states a database may be found in: the state after every commit, in order, and which
/// of them was last acknowledged durable.
///
/// `states[0]` is the state before the first commit. A commit that threw is recorded too (it
/// may have reached the log), so the candidates after a failure are `states[acknowledged...]`.
public struct ModelHistory: Sendable {
    /// The state after each commit; `states[0]` is the starting state.
    public private(set) var states: [ModelState]
    /// Index into `states` of the last commit acknowledged durable.
    public private(set) var acknowledged = 0

    /// A history starting at `initial` (acknowledged durable: it is what was on disk).
    public init(initial: ModelState = [:]) {
        states = [initial]
    }

    /// The latest state.
    public var current: ModelState { states[states.count - 1] }

    /// Records a commit that produced `state`.
    public mutating func record(_ state: ModelState) { states.append(state) }

    /// Marks every commit so far as acknowledged durable.
    public mutating func acknowledgeAll() { acknowledged = states.count - 1 }

    /// Marks commits up to `index` as acknowledged durable.
    public mutating func acknowledge(through index: Int) { acknowledged = max(acknowledged, index) }

    /// The first index `k >= acknowledged` whose state equals `state`, or nil.
    public func match(_ state: ModelState, from lower: Int? = nil) -> Int? {
        (min(lower ?? acknowledged, states.count - 1)..<states.count).first { states[$0] == state }
    }

    /// Applies `mutations` to `state`, as the engine's transaction does.
    public static func apply(_ mutations: [Workload.Mutation], to state: ModelState) -> ModelState {
        var state = state
        for mutation in mutations {
            switch mutation {
            case .put(let t, let key, let value):
                state[Workload.treeNames[t], default: [:]][key] = value
            case .remove(let t, let key):
                state[Workload.treeNames[t], default: [:]][key] = nil
            case .append(let t, let key, let suffix):
                let name = Workload.treeNames[t]
                state[name, default: [:]][key] = (state[name]?[key] ?? []) + suffix
            case .clear(let t):
                state[Workload.treeNames[t]] = [:]
            case .putOverBound:
                continue
            }
        }
        return state
    }

    /// The states a ``Workload/Step/dropAndRecreate(tree:staleAfterDrop:staleAfterRecreate:)``
    /// step commits: tree `tree` absent, then present and empty. Stale writes change nothing.
    public static func dropAndRecreate(_ tree: Int, in state: ModelState) -> [ModelState] {
        var dropped = state
        dropped[Workload.treeNames[tree]] = nil
        var recreated = dropped
        recreated[Workload.treeNames[tree]] = [:]
        return [dropped, recreated]
    }

    /// A one-line description of how `found` differs from `expected`.
    public static func difference(_ found: ModelState, _ expected: ModelState) -> String {
        var notes: [String] = []
        for name in Set(found.keys).union(expected.keys).sorted() {
            guard let f = found[name] else { notes.append("tree \(name) missing"); continue }
            guard let e = expected[name] else { notes.append("tree \(name) unexpected"); continue }
            let missing = e.keys.filter { f[$0] == nil }.count
            let extra = f.keys.filter { e[$0] == nil }.count
            let changed = e.keys.filter { f[$0] != nil && f[$0] != e[$0] }.count
            if missing + extra + changed > 0 {
                notes.append("\(name): \(missing) missing, \(extra) extra, \(changed) changed keys")
            }
        }
        return notes.isEmpty ? "equal" : notes.joined(separator: "; ")
    }
}
