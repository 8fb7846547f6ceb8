#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StrataEngine

/// The checks every node, edge and vector passes before anything is written: each failure is a
/// typed error and the transaction stays as it was.
enum NodeValidation {
    static func check(_ node: Node) throws {
        try node.id.validate()
        try checkName(node.namespace, "namespace", limit: GraphLimits.maxNamespaceBytes)
        try Timestamp.validate(node.createdAt, "createdAt")
        try Timestamp.validate(node.updatedAt, "updatedAt")
        if let expiresAt = node.expiresAt { try Timestamp.validate(expiresAt, "expiresAt") }
        switch node.content {
        case .conversation(let conversation):
            try checkText(conversation.title, "title", limit: GraphLimits.maxNameBytes, allowEmpty: true)
            if let session = conversation.session {
                try checkText(session, "session", limit: GraphLimits.maxNameBytes, allowEmpty: false)
            }
        case .message(let message):
            try message.conversation.validate()
            if let parent = message.parent {
                try parent.validate()
                guard parent != node.id else { throw GraphError.invalidField("parent", "a message cannot answer itself") }
            }
            switch message.content {
            case .text(let text): try checkText(text, "content", limit: GraphLimits.maxTextBytes, allowEmpty: false)
            case .toolResult(let callID, let output):
                try checkText(callID, "callID", limit: GraphLimits.maxNameBytes, allowEmpty: false)
                try checkText(output, "content", limit: GraphLimits.maxTextBytes, allowEmpty: true)
            case .structured(let value):
                try PropertyCodec.validate(["content": value], field: "content")
            }
            guard message.tokenCount >= 0 else { throw GraphError.invalidField("tokenCount", "must not be negative") }
            try PropertyCodec.validate(message.metadata, field: "metadata")
        case .entity(let entity):
            try checkName(entity.type.name, "type", limit: 64)
            try checkName(entity.name, "name", limit: GraphLimits.maxNameBytes)
            for alias in entity.aliases { try checkName(alias, "aliases", limit: GraphLimits.maxNameBytes) }
            if let summary = entity.summary {
                try checkText(summary, "summary", limit: GraphLimits.maxTextBytes, allowEmpty: true)
            }
        case .summary(let summary):
            try summary.subject.validate()
            guard summary.subject != node.id else { throw GraphError.invalidField("subject", "a summary cannot summarise itself") }
            try checkText(summary.text, "text", limit: GraphLimits.maxTextBytes, allowEmpty: false)
            if let covering = summary.covering {
                try Timestamp.validate(covering.lowerBound, "covering")
                try Timestamp.validate(covering.upperBound, "covering")
            }
        case .memory(let memory):
            try checkText(memory.text, "text", limit: GraphLimits.maxTextBytes, allowEmpty: false)
            guard memory.importance.isFinite, (0...1).contains(memory.importance) else {
                throw GraphError.invalidField("importance", "\(memory.importance) is outside 0 ... 1")
            }
            guard memory.decayRate.isFinite, memory.decayRate >= 0 else {
                throw GraphError.invalidField("decayRate", "\(memory.decayRate) must be a finite number ≥ 0")
            }
            guard memory.tokenCount >= 0 else { throw GraphError.invalidField("tokenCount", "must not be negative") }
            if let source = memory.source {
                try source.validate()
                guard source != node.id else { throw GraphError.invalidField("source", "a memory cannot come from itself") }
            }
        case .custom(let custom):
            try checkName(custom.kind, "kind", limit: NodeKind.maxCustomNameBytes)
            guard case .custom = NodeKind(named: custom.kind) else {
                throw GraphError.invalidField("kind", "\"\(custom.kind)\" is a built-in kind; use its own case")
            }
            if let owner = custom.owner {
                try owner.validate()
                guard owner != node.id else { throw GraphError.invalidField("owner", "a node cannot own itself") }
            }
            try PropertyCodec.validate(custom.properties, field: "properties")
        }
    }

    static func check(_ edge: Edge) throws {
        try edge.from.validate()
        try edge.to.validate()
        try checkName(edge.type.name, "type", limit: EdgeType.maxNameBytes)
        guard edge.weight.isFinite else { throw GraphError.invalidField("weight", "\(edge.weight) is not a finite number") }
        try Timestamp.validate(edge.validFrom, "validFrom")
        if let until = edge.validUntil { try Timestamp.validate(until, "validUntil") }
        try PropertyCodec.validate(edge.properties, field: "properties")
    }

    static func check(_ space: EmbeddingSpace) throws {
        try checkName(space.name, "space", limit: 64)
        try checkName(space.model, "model", limit: GraphLimits.maxNameBytes)
        guard (1...GraphLimits.maxDimension).contains(space.dimension) else {
            throw GraphError.invalidField("dimension", "\(space.dimension) is outside 1 ... \(GraphLimits.maxDimension)")
        }
    }

    static func check(_ vector: [Float], for space: EmbeddingSpace) throws {
        guard vector.count == space.dimension else {
            throw StrataError(.dimensionMismatch, "space \(space.name) holds \(space.dimension)-dimensional vectors; this one has \(vector.count)")
        }
        if let index = vector.firstIndex(where: { !$0.isFinite }) {
            throw StrataError(.nonFiniteVector, "element \(index) of the vector is \(vector[index])")
        }
        if space.metric == .cosine, vector.allSatisfy({ $0 == 0 }) {
            throw GraphError.invalidField("vector", "a zero vector has no direction for the cosine metric")
        }
    }

    static func checkName(_ value: String, _ field: String, limit: Int) throws {
        try checkText(value, field, limit: limit, allowEmpty: false)
    }

    static func checkText(_ value: String, _ field: String, limit: Int, allowEmpty: Bool) throws {
        let length = value.utf8.count
        guard allowEmpty || length > 0 else { throw GraphError.invalidField(field, "must not be empty") }
        guard length <= limit else { throw GraphError.invalidField(field, "\(length) bytes is over the limit of \(limit)") }
    }
}
