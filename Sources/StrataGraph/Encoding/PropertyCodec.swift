/// The encoding of property values and bags (FORMAT.md, "Property values").
enum PropertyCodec {
    static func write(_ value: PropertyValue, to writer: inout RecordWriter) {
        switch value {
        case .null: writer.byte(0)
        case .bool(let flag): writer.byte(flag ? 2 : 1)
        case .int(let number):
            writer.byte(3)
            writer.signed(number)
        case .double(let number):
            writer.byte(4)
            writer.double(number)
        case .string(let text):
            writer.byte(5)
            writer.string(text)
        case .bytes(let raw):
            writer.byte(6)
            writer.raw(raw)
        case .array(let items):
            writer.byte(7)
            writer.varint(UInt64(items.count))
            for item in items { write(item, to: &writer) }
        case .object(let fields):
            writer.byte(8)
            write(fields, to: &writer)
        }
    }

    /// A bag, its keys in sorted order so that equal bags encode to equal bytes.
    static func write(_ properties: Properties, to writer: inout RecordWriter) {
        writer.varint(UInt64(properties.count))
        for key in properties.keys.sorted() {
            writer.string(key)
            write(properties[key]!, to: &writer)
        }
    }

    static func read(_ reader: inout RecordReader, depth: Int = 0) throws -> PropertyValue {
        guard depth < GraphLimits.maxPropertyDepth else { throw reader.failure("properties nested too deep") }
        switch try reader.byte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try reader.signed())
        case 4: return .double(try reader.double())
        case 5: return .string(try reader.string())
        case 6: return .bytes(try reader.rawBytes())
        case 7:
            let count = try reader.count(limit: Int.max)
            var items: [PropertyValue] = []
            for _ in 0..<count { items.append(try read(&reader, depth: depth + 1)) }
            return .array(items)
        case 8:
            return .object(try readBag(&reader, depth: depth + 1))
        case let tag:
            throw reader.failure("property tag \(tag)")
        }
    }

    static func readBag(_ reader: inout RecordReader, depth: Int = 0) throws -> Properties {
        let count = try reader.count(limit: Int.max)
        var bag: Properties = [:]
        for _ in 0..<count {
            let key = try reader.string()
            bag[key] = try read(&reader, depth: depth)
        }
        return bag
    }

    /// Throws `invalidField` for a bag nested too deep, with a non-finite double, or too large.
    static func validate(_ properties: Properties, field: String) throws {
        for (key, value) in properties {
            guard !key.isEmpty else { throw GraphError.invalidField(field, "a property name must not be empty") }
            try validate(value, field: "\(field).\(key)", depth: 1)
        }
    }

    private static func validate(_ value: PropertyValue, field: String, depth: Int) throws {
        guard depth < GraphLimits.maxPropertyDepth else {
            throw GraphError.invalidField(field, "nested deeper than \(GraphLimits.maxPropertyDepth)")
        }
        switch value {
        case .double(let number) where !number.isFinite:
            throw GraphError.invalidField(field, "\(number) is not a finite number")
        case .array(let items):
            for item in items { try validate(item, field: field, depth: depth + 1) }
        case .object(let fields):
            for (key, item) in fields { try validate(item, field: "\(field).\(key)", depth: depth + 1) }
        default: break
        }
    }
}
