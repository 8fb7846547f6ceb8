/// Why a dataset directory could not be loaded. Every case names the file, and the line where
/// there is one (1-based), so the message says where to look.
public enum MW1DatasetError: Error, Equatable, CustomStringConvertible {
    /// A file the dataset needs is not there or cannot be read.
    case unreadable(file: String, reason: String)
    /// A line is not valid JSON, or a field has the wrong JSON type.
    case malformed(file: String, line: Int, reason: String)
    /// A line is well-formed JSON but breaks a rule of MEMORY-WORKLOAD.md (unknown kind or phase,
    /// missing field, a reference to an id not yet ingested, a duplicate id, a vector row that is
    /// not the transaction's).
    case invalid(file: String, line: Int, reason: String)
    /// A `.fvecs` file's size, row header or values are wrong.
    case badVectors(file: String, reason: String)
    /// A file disagrees with the manifest or with another file (sizes, counts, line counts).
    case mismatch(file: String, reason: String)

    /// A message naming the file and line.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
        case .malformed(let file, let line, let reason): "\(file) line \(line): malformed: \(reason)"
        case .invalid(let file, let line, let reason): "\(file) line \(line): invalid: \(reason)"
        case .badVectors(let file, let reason): "\(file): bad vectors: \(reason)"
        case .mismatch(let file, let reason): "\(file): does not match: \(reason)"
        }
    }
}
