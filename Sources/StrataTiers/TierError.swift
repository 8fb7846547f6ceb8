import StrataEngine

extension StrataError.Code {
    /// A tier name that is neither `active`, `recent` nor a quarter `YYYY-Qn`.
    public static let unknownTier = StrataError.Code("unknownTier")
}

/// The typed errors of the tiered store.
enum TierError {
    static func unknownTier(_ name: String) -> StrataError {
        StrataError(.unknownTier, "\"\(name)\" is not a tier: use active, recent or a quarter such as 2026-Q3")
    }

    static func invalid(_ what: String, _ why: String) -> StrataError {
        StrataError(.invalidArgument, "\(what): \(why)")
    }
}
