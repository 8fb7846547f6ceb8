/// A failure the CLI itself detects (not one the engine reports), printed as one line.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
