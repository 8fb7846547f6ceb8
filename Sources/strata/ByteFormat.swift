import ArgumentParser

/// How keys and values are typed on the command line and printed: UTF-8 text or hexadecimal.
enum ByteFormat {
    case text
    case hex

    init(hex: Bool) {
        self = hex ? .hex : .text
    }

    /// The bytes that `argument` stands for; `what` names it in the error.
    func parse(_ argument: String, what: String) throws -> [UInt8] {
        switch self {
        case .text:
            return Array(argument.utf8)
        case .hex:
            let digits = Array(argument.utf8).filter { $0 != UInt8(ascii: " ") }
            guard digits.count % 2 == 0 else {
                throw CommandFailure("\(what) '\(argument)' is not hexadecimal: it has an odd number of digits")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(digits.count / 2)
            var index = 0
            while index < digits.count {
                guard let high = ByteFormat.nibble(digits[index]), let low = ByteFormat.nibble(digits[index + 1]) else {
                    throw CommandFailure("\(what) '\(argument)' is not hexadecimal (use 0-9 and a-f)")
                }
                bytes.append(high << 4 | low)
                index += 2
            }
            return bytes
        }
    }

    /// `bytes` as printable text: hex digits, or UTF-8 with `\xNN` for bytes that are not
    /// printable text (and `\\` for a backslash).
    func render(_ bytes: [UInt8]) -> String {
        switch self {
        case .hex:
            return ByteFormat.hexString(bytes)
        case .text:
            if let text = String(validating: bytes, as: UTF8.self),
                !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\\" })
            {
                return text
            }
            var escaped = ""
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): escaped += "\\\\"
                case 0x20..<0x7F: escaped.unicodeScalars.append(Unicode.Scalar(byte))
                default: escaped += "\\x" + ByteFormat.hexString([byte])
                }
            }
            return escaped
        }
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
