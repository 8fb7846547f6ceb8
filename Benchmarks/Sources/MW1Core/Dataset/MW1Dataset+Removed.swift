extension MW1Dataset {
    /// The ids of every record the forget and the expiry sweep remove, as MEMORY-WORKLOAD.md
    /// says: the forgotten conversations, their messages, the memories whose source is one of
    /// those messages, the forgotten memories, and every memory with `expires_at <= now_ms`.
    /// Entities are never removed. Any of these ids in an answer after the forget is a violation.
    public func removedIDs() -> Set<String> {
        removedByForget().union(expiredMemories())
    }

    /// The records the forget alone removes (conversations, their messages, the memories derived
    /// from those, and the memories forgotten by id).
    public func removedByForget() -> Set<String> {
        var conversations = Set<String>()
        var removed = Set<String>()
        for item in forget {
            if item.kind == .conversation { conversations.insert(item.id) }
            removed.insert(item.id)
        }
        for transaction in transactions {
            for node in transaction.nodes {
                switch node {
                case .message(let m) where conversations.contains(m.conversation): removed.insert(m.id)
                case .memory(let m) where removed.contains(m.source): removed.insert(m.id)
                default: break
                }
            }
        }
        return removed
    }

    /// The memories with `expires_at <= now_ms`.
    public func expiredMemories() -> Set<String> {
        var expired = Set<String>()
        for transaction in transactions {
            for case .memory(let m) in transaction.nodes {
                if let expiry = m.expiresAt, expiry <= manifest.nowMs { expired.insert(m.id) }
            }
        }
        return expired
    }

    /// How many records the expiry sweep must remove: the expired memories the forget has not
    /// already removed.
    public func expectedExpiryCount() -> Int {
        expiredMemories().subtracting(removedByForget()).count
    }
}
