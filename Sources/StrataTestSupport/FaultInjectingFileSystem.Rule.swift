extension FaultInjectingFileSystem {
    /// When and how one kind of operation fails.
    ///
    /// ```swift
    /// // The third write fails with ENOSPC after writing half its bytes.
    /// FaultInjectingFileSystem.Rule(.write, .nth(3), fault: .noSpace(writingPrefix: true))
    /// ```
    public struct Rule: Sendable {
        /// Which calls of the operation fail. Counts start at 1 and at the moment the rule is
        /// added to the file system.
        public enum Trigger: Sendable {
            /// Only the `n`th call.
            case nth(Int)
            /// The `n`th call and every later one (a disk that has filled up or died).
            case fromNth(Int)
            /// Every call.
            case every
            /// Each call with this probability, drawn from a ``SeededRandom`` with `seed`.
            case random(probability: Double, seed: UInt64)
        }

        /// The error a failing call reports.
        public enum Fault: Sendable {
            /// `EIO`: the device reported an error.
            case ioError
            /// `ENOSPC`: the device is full. A failing write first writes the first half of its
            /// bytes when `writingPrefix` is true, as a real short write would.
            case noSpace(writingPrefix: Bool)
        }

        /// The operation this rule applies to.
        public var operation: Operation
        /// Which calls fail.
        public var trigger: Trigger
        /// How they fail.
        public var fault: Fault

        /// Creates a rule: calls of `operation` chosen by `trigger` fail with `fault`.
        public init(_ operation: Operation, _ trigger: Trigger, fault: Fault = .ioError) {
            self.operation = operation
            self.trigger = trigger
            self.fault = fault
        }
    }
}
