import StrataEngine

extension StrataError.Code {
    /// The knowledge database could not be opened or failed (see
    /// ``DatabaseCoordinator/statistics()``); conversations keep working, and
    /// ``DatabaseCoordinator/rebuildKnowledge()`` makes a new one from the source.
    public static let knowledgeUnavailable = StrataError.Code("knowledgeUnavailable")
}

/// The typed errors of the coordinator.
enum CoordinatorError {
    static func knowledgeUnavailable(_ cause: StrataError) -> StrataError {
        StrataError(.knowledgeUnavailable, "the knowledge database is unavailable (\(cause)); rebuildKnowledge() replays enrichment from the conversations")
    }

    /// `error` as a typed error (a Foundation error from a directory operation becomes `ioFailure`).
    static func typed(_ error: any Error) -> StrataError {
        error as? StrataError ?? StrataError(.ioFailure, "\(error)")
    }

    /// Whether `error` means the database itself failed (not the task or its input).
    static func isStorageFailure(_ error: any Error) -> Bool {
        guard let error = error as? StrataError else { return false }
        return [.ioFailure, .corruption, .closed, .notADatabase, .formatVersion, .locked].contains(error.code)
    }
}
