/// What a node is: one of the built-in kinds, or an application's own.
public enum NodeKind: Hashable, Sendable, CustomStringConvertible {
    case conversation
    case message
    case entity
    case summary
    case memory
    /// An application-defined kind: 1 to 64 bytes, not one of the built-in names.
    case custom(String)

    /// The kind's stable code on disk and in index keys.
    var code: UInt8 {
        switch self {
        case .conversation: 1
        case .message: 2
        case .entity: 3
        case .summary: 4
        case .memory: 5
        case .custom: 6
        }
    }

    /// The kind's name (`"message"`, or the custom kind's name).
    public var name: String {
        switch self {
        case .conversation: "conversation"
        case .message: "message"
        case .entity: "entity"
        case .summary: "summary"
        case .memory: "memory"
        case .custom(let name): name
        }
    }

    public var description: String { name }

    /// The kind called `name`: a built-in kind by its name, else a custom kind.
    public init(named name: String) {
        switch name {
        case "conversation": self = .conversation
        case "message": self = .message
        case "entity": self = .entity
        case "summary": self = .summary
        case "memory": self = .memory
        default: self = .custom(name)
        }
    }

    /// The longest custom kind name, in UTF-8 bytes.
    public static let maxCustomNameBytes = 64
}
