import Foundation

/// One JSON line of `strata vectors bench`, with the fields in a fixed order; the schema is the
/// one Benchmarks/vectors/peers.py prints for hnswlib, faiss and usearch.
struct VectorsBenchLine {
    /// A JSON scalar.
    enum Value {
        case int(Int)
        case number(Double, digits: Int)
        case text(String)
        case null
    }

    private(set) var fields: [(String, Value)] = []

    subscript(key: String) -> Value? {
        get { fields.first { $0.0 == key }?.1 }
        set {
            let value = newValue ?? .null
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                fields[index].1 = value
            } else {
                fields.append((key, value))
            }
        }
    }

    /// `value` rounded to `digits` decimals, or null when it is not finite.
    static func number(_ value: Double?, _ digits: Int = 1) -> Value {
        guard let value, value.isFinite else { return .null }
        return .number(value, digits: digits)
    }

    /// The line as compact JSON.
    var json: String {
        let parts = fields.map { key, value -> String in
            let text: String
            switch value {
            case .int(let int): text = "\(int)"
            case .number(let double, let digits): text = String(format: "%.\(digits)f", double)
            case .text(let string): text = Self.quoted(string)
            case .null: text = "null"
            }
            return "\(Self.quoted(key)): \(text)"
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    private static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
