#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// One tier of a tiered store: a whole memory store in its own directory under the root
/// (FORMAT.md, "Tiered directory"): `active/`, `recent/`, or `archive/YYYY-Qn/`.
public enum Tier: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// What is written and read now (`active/`); opens with the store.
    case active
    /// Records past the active boundary (`recent/`).
    case recent
    /// Records of one calendar quarter (UTC) past the recent boundary (`archive/2026-Q3/`).
    case archive(year: Int, quarter: Int)

    /// The tier's directory, relative to the root (`active`, `recent`, `archive/2026-Q3`).
    public var path: String {
        switch self {
        case .active: "active"
        case .recent: "recent"
        case .archive(let year, let quarter): "archive/\(Self.archiveName(year: year, quarter: quarter))"
        }
    }

    /// The tier's name as the catalog and the CLI spell it: `active`, `recent`, `2026-Q3`.
    public var name: String {
        switch self {
        case .active: "active"
        case .recent: "recent"
        case .archive(let year, let quarter): Self.archiveName(year: year, quarter: quarter)
        }
    }

    /// The tier's ``name``.
    public var description: String { name }

    private static func archiveName(year: Int, quarter: Int) -> String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "-Q\(quarter)"
    }

    /// The tier named `name` (`active`, `recent`, or `YYYY-Qn` with n in 1...4).
    ///
    /// - Throws: `unknownTier` for any other name.
    public init(named name: String) throws {
        switch name {
        case "active": self = .active
        case "recent": self = .recent
        default:
            let parts = name.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), year >= 1,
                  parts[1].count == 2, parts[1].first == "Q", let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter)
            else { throw TierError.unknownTier(name) }
            self = .archive(year: year, quarter: quarter)
        }
    }

    /// The archive tier of the calendar quarter (UTC) that holds `date`.
    public static func archive(holding date: Date) -> Tier {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: date)
        return .archive(year: parts.year!, quarter: (parts.month! - 1) / 3 + 1)
    }

    /// The dates an archive tier covers (nil for `active` and `recent`, which move with the clock).
    public var quarterRange: Range<Date>? {
        guard case .archive(let year, let quarter) = self else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1))!
        let end = calendar.date(byAdding: .month, value: 3, to: start)!
        return start..<end
    }

    /// Order of a search with ``TierHint/any``: active, recent, then archives newest first.
    public static func < (lhs: Tier, rhs: Tier) -> Bool {
        switch (lhs, rhs) {
        case (.active, .active): false
        case (.active, _): true
        case (.recent, .active), (.recent, .recent): false
        case (.recent, .archive): true
        case (.archive, .active), (.archive, .recent): false
        case (.archive(let y1, let q1), .archive(let y2, let q2)): (y1, q1) > (y2, q2)
        }
    }
}
