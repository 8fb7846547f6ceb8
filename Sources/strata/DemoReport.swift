import Foundation
import StrataEngine

/// The demo's printed report: steps with timings, counts, and the database's statistics.
struct DemoReport {
    let directory: String
    private var steps = Table("step", "time", "")
    var counts: [(String, Int)] = []
    /// A few keys read back, by tree, printed decoded.
    var sampleKeys: [(tree: String, key: [UInt8])] = []
    var statistics: DatabaseStatistics?
    var disk: (bytes: UInt64, files: Int) = (0, 0)

    init(directory: String) {
        self.directory = directory
        steps.leftAligned = [0, 2]
    }

    mutating func step(_ name: String, _ milliseconds: Double, rate: Double? = nil, unit: String = "", note: String = "") {
        var extra = note
        if let rate { extra = String(format: "%.0f %@", rate, unit) }
        steps.add(name, Measurement.ms(milliseconds), extra)
    }

    func render() -> String {
        var lines = ["Strata demo: agent memory in \(directory)", "", "Steps", steps.render(), "", "Counts"]
        var table = Table("what", "count")
        for (what, count) in counts { table.add(what, "\(count)") }
        lines.append(table.render())
        if !sampleKeys.isEmpty {
            lines += ["", "Sample keys (TupleKey, decoded)"]
            var keys = Table("tree", "key")
            keys.leftAligned = [0, 1]
            for (tree, key) in sampleKeys { keys.add(tree, TupleKeyFormat.render(key)) }
            lines.append(keys.render())
        }
        if let statistics {
            lines.append("")
            lines.append(StatisticsReport(statistics, diskBytes: disk.bytes, files: disk.files).render())
        }
        return lines.joined(separator: "\n")
    }
}
