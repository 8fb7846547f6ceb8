import Foundation

/// Reads a JSON-lines file of a dataset and decodes each line, turning every failure into an
/// `MW1DatasetError` that names the file and the 1-based line.
struct JSONLines {
    /// The file's name inside the dataset directory (for messages).
    let file: String
    private let data: Data
    private let decoder = JSONDecoder()

    /// Reads `directory/file` whole.
    init(directory: String, file: String) throws(MW1DatasetError) {
        self.file = file
        data = try Self.read(directory: directory, file: file)
    }

    /// The bytes of `directory/file`.
    static func read(directory: String, file: String) throws(MW1DatasetError) -> Data {
        let path = directory + "/" + file
        guard FileManager.default.fileExists(atPath: path) else {
            throw .unreadable(file: file, reason: "no such file in \(directory)")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .unreadable(file: file, reason: "\(error)")
        }
    }

    /// Calls `body` with each line's number (1-based) and the line decoded as `T`. An empty line
    /// other than after the final newline is malformed.
    func forEach<T: Decodable>(
        as type: T.Type, _ body: (Int, T) throws(MW1DatasetError) -> Void
    ) throws(MW1DatasetError) {
        var start = data.startIndex
        var line = 0
        while start < data.endIndex {
            line += 1
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let bytes = data[start..<end]
            if bytes.isEmpty { throw .malformed(file: file, line: line, reason: "empty line") }
            let value: T
            do {
                value = try decoder.decode(T.self, from: bytes)
            } catch let error as DecodingError {
                throw .malformed(file: file, line: line, reason: Self.describe(error))
            } catch {
                throw .malformed(file: file, line: line, reason: "\(error)")
            }
            try body(line, value)
            start = end < data.endIndex ? data.index(after: end) : end
        }
    }

    /// A short account of a decoding error: the field's path and what was wrong with it.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
            return keys.isEmpty ? "the line" : "field " + keys.joined().drop(while: { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in " + path(context).dropFirst(6)
            return "missing field \(key.stringValue)\(parent)"
        case .typeMismatch(let type, let context): return "\(path(context)) is not \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) is null, expected \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON (\(context.debugDescription))" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
