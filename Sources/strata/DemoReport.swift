import Foundation
import StrataGraph

/// Prints the demo's report as it goes: build steps with their timings, then one section per
/// query with its timing and what it returned. Every figure printed is measured or read back from
/// the store; nothing is written in advance.
struct DemoReport {
    private var steps = Table("step", "time", "")

    init() {
        steps.leftAligned = [0, 2]
    }

    /// Records a build step (printed together by ``printSteps(_:)``).
    mutating func step(_ name: String, _ milliseconds: Double, note: String = "") {
        steps.add(name, Measurement.duration(milliseconds), note)
    }

    /// Prints the build steps recorded so far under `title`, and forgets them.
    mutating func printSteps(_ title: String) {
        print(title)
        print(steps.render())
        print("")
        steps.rows = []
    }

    /// Prints one query's section: a heading with the timing, then its lines, indented.
    func section(_ title: String, _ milliseconds: Double?, _ lines: [String]) {
        let timing = milliseconds.map { "  [\(Measurement.duration($0))]" } ?? ""
        print(title + timing)
        for line in lines { print("    " + line) }
        print("")
    }

    /// `2026-01-03 11:02:13` (UTC).
    static func time(_ date: Date) -> String {
        formatter.string(from: date)
    }

    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter
    }()

    /// `text` cut to `limit` characters with an ellipsis.
    static func snippet(_ text: String, _ limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// One line saying what `node` is: its kind and the fields a person recognises it by.
    static func describe(_ node: Node) -> String {
        switch node.content {
        case .conversation(let conversation): "conversation \"\(conversation.title)\""
        case .message(let message): "\(message.role) message: \(snippet(message.content.text, 48))"
        case .entity(let entity): "\(entity.type) \(entity.name) (\(entity.mentionCount) mentions)"
        case .summary(let summary): "summary: \(snippet(summary.text, 48))"
        case .memory(let memory):
            "\(memory.kind) memory, importance \(String(format: "%.2f", memory.importance)): \(snippet(memory.text, 40))"
        case .custom(let custom): "\(custom.kind) node"
        }
    }
}
