/// Something the conversation is about: a person, a place, a concept. Looked up by name or
/// alias (case-insensitively) within its namespace; messages point at it with ``EdgeType/mentions``.
public struct Entity: Hashable, Sendable {
    /// The entity's type: `person`, `place`, `organisation`, `concept`, `product`, or any other
    /// name (1 to 64 bytes).
    public struct EntityType: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        public var name: String
        public init(_ name: String) { self.name = name }
        public init(stringLiteral value: String) { self.name = value }
        public var description: String { name }

        public static let person = EntityType("person")
        public static let place = EntityType("place")
        public static let organisation = EntityType("organisation")
        public static let concept = EntityType("concept")
        public static let product = EntityType("product")
    }

    public var type: EntityType
    /// The entity's name: 1 to ``GraphLimits/maxNameBytes`` bytes.
    public var name: String
    /// Other names it is found by.
    public var aliases: [String]
    public var summary: String?
    /// How many messages mention it (incoming ``EdgeType/mentions`` edges). Derived: the store
    /// fills it in on every read and ignores what a write passes.
    public var mentionCount: Int

    public init(type: EntityType, name: String, aliases: [String] = [], summary: String? = nil) {
        self.type = type
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.mentionCount = 0
    }
}
