import StrataTestSupport

/// One libFuzzer target: ``FuzzProbe`` (shared with the regression tests) on raw input.
public typealias FuzzTarget = FuzzProbe

extension FuzzProbe {
    /// Runs the input through the probe; traps, so that libFuzzer saves the input, when the
    /// engine breaks a promise without trapping itself.
    public func run(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        let bytes = data.map { [UInt8](UnsafeBufferPointer(start: $0, count: size)) } ?? []
        if let failure = check(bytes) { fatalError("fuzz-\(rawValue): \(failure)") }
    }
}
