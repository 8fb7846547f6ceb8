import Foundation

/// Timing and size formatting for reports.
enum Measurement {
    /// Runs `body` and returns its result and how long it took, in milliseconds.
    static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let result = try body()
        return (result, milliseconds(ContinuousClock.now - start))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }

    /// `12.3 ms`, with precision suited to the magnitude.
    static func ms(_ value: Double) -> String {
        value < 10 ? String(format: "%.2f ms", value) : String(format: "%.0f ms", value)
    }

    /// `42 µs` below a millisecond, else as ``ms(_:)``.
    static func duration(_ milliseconds: Double) -> String {
        milliseconds < 1 ? String(format: "%.0f µs", milliseconds * 1000) : ms(milliseconds)
    }

    /// `1.5 MiB`, `812 B`.
    static func bytes<N: BinaryInteger>(_ count: N) -> String {
        let value = Double(count)
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", scaled, units[unit])
    }

    static func percent(_ ratio: Double) -> String {
        String(format: "%.1f%%", ratio * 100)
    }

    /// Bytes of every regular file directly inside `directory`, and how many there are.
    static func directorySize(_ directory: String) -> (bytes: UInt64, files: Int) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return (0, 0) }
        var total: UInt64 = 0
        var files = 0
        for name in names {
            guard let attributes = try? manager.attributesOfItem(atPath: directory + "/" + name),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            total += (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            files += 1
        }
        return (total, files)
    }
}
