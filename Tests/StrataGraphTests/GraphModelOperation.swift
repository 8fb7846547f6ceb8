import Foundation
import StrataEngine
import StrataGraph

/// One write the model test makes, applied the same way to a ``GraphTransaction`` and to a
/// ``ReferenceGraph``.
indirect enum GraphModelOperation: CustomStringConvertible {
    case insert(Node)
    case insertMany([Node])
    /// An update passed as a whole node, or (`viaClosure`) through `update(_:_:)`.
    case update(Node, viaClosure: Bool)
    case delete(NodeID)
    case deleteMany([NodeID])
    case addEdge(Edge)
    case removeEdge(NodeID, EdgeType, NodeID)
    case invalidateEdge(NodeID, EdgeType, NodeID, Date)
    case define(EmbeddingSpace)
    case setVector([Float], NodeID, String)
    case removeVector(NodeID, String)
    case recordAccess(NodeID, Date)
    /// An operation with a bad field: it must throw `code` and change nothing.
    case bad(GraphModelOperation, StrataError.Code)

    /// What an operation returned, or the code it threw.
    enum Outcome: Equatable, CustomStringConvertible {
        case node(Node)
        case count(Int)
        case flag(Bool)
        case done
        case failed(StrataError.Code)

        var description: String {
            switch self {
            case .node(let node): "node \(node.id) v\(node.version)"
            case .count(let count): "count \(count)"
            case .flag(let flag): "\(flag)"
            case .done: "done"
            case .failed(let code): "failed \(code)"
            }
        }

        var succeeded: Bool {
            if case .failed = self { return false }
            return true
        }
    }

    var description: String {
        switch self {
        case .insert(let node): "insert \(node.id) \(node.kind) in \(node.namespace)"
        case .insertMany(let nodes): "insert \(nodes.map(\.id))"
        case .update(let node, let closure): "update \(node.id)\(closure ? " (closure)" : "")"
        case .delete(let id): "delete \(id)"
        case .deleteMany(let ids): "delete \(ids)"
        case .addEdge(let edge): "add edge \(edge.from) -\(edge.type)-> \(edge.to)"
        case .removeEdge(let from, let type, let to): "remove edge \(from) -\(type)-> \(to)"
        case .invalidateEdge(let from, let type, let to, _): "invalidate edge \(from) -\(type)-> \(to)"
        case .define(let space): "define \(space.name)/\(space.dimension)/\(space.metric)"
        case .setVector(let vector, let id, let space): "set vector \(vector) of \(id) in \(space)"
        case .removeVector(let id, let space): "remove vector of \(id) in \(space)"
        case .recordAccess(let id, _): "record access \(id)"
        case .bad(let operation, let code): "bad (\(code)): \(operation)"
        }
    }

    /// Runs the operation in `graph`; a typed error becomes `.failed`.
    func apply(to graph: GraphTransaction) throws -> Outcome {
        do {
            switch self {
            case .insert(let node): return .node(try graph.insert(node))
            case .insertMany(let nodes):
                try graph.insert(contentsOf: nodes)
                return .done
            case .update(let node, let viaClosure):
                return .node(viaClosure ? try graph.update(node.id) { $0 = node } : try graph.update(node))
            case .delete(let id): return .count(try graph.delete(id))
            case .deleteMany(let ids): return .count(try graph.delete(contentsOf: ids))
            case .addEdge(let edge):
                try graph.addEdge(edge)
                return .done
            case .removeEdge(let from, let type, let to): return .flag(try graph.removeEdge(from: from, type: type, to: to))
            case .invalidateEdge(let from, let type, let to, let date):
                try graph.invalidateEdge(from: from, type: type, to: to, at: date)
                return .done
            case .define(let space):
                try graph.define(space)
                return .done
            case .setVector(let vector, let id, let space):
                try graph.setVector(vector, for: id, in: space)
                return .done
            case .removeVector(let id, let space): return .flag(try graph.removeVector(for: id, in: space))
            case .recordAccess(let id, let date):
                try graph.recordAccess(id, at: date)
                return .done
            case .bad(let operation, _): return try operation.apply(to: graph)
            }
        } catch let error as StrataError {
            return .failed(error.code)
        }
    }

    /// Runs the operation on `reference` at the store's clock `now`: all or nothing.
    func apply(to reference: inout ReferenceGraph, now: Date) -> Outcome {
        var copy = reference
        do {
            let outcome: Outcome
            switch self {
            case .insert(let node): outcome = .node(try copy.insert(node))
            case .insertMany(let nodes):
                for node in nodes { _ = try copy.insert(node) }
                outcome = .done
            case .update(let node, _): outcome = .node(try copy.update(node, now: now))
            case .delete(let id): outcome = .count(try copy.delete(id))
            case .deleteMany(let ids): outcome = .count(try copy.delete(contentsOf: ids))
            case .addEdge(let edge):
                try copy.addEdge(edge)
                outcome = .done
            case .removeEdge(let from, let type, let to): outcome = .flag(copy.removeEdge(from: from, type: type, to: to))
            case .invalidateEdge(let from, let type, let to, let date):
                try copy.invalidateEdge(from: from, type: type, to: to, at: date)
                outcome = .done
            case .define(let space):
                try copy.define(space)
                outcome = .done
            case .setVector(let vector, let id, let space):
                try copy.setVector(vector, for: id, in: space)
                outcome = .done
            case .removeVector(let id, let space): outcome = .flag(copy.removeVector(for: id, in: space))
            case .recordAccess(let id, let date):
                try copy.recordAccess(id, at: date)
                outcome = .done
            case .bad(let operation, let code):
                // An update looks its node up before it checks fields (an earlier operation of
                // the same transaction may have deleted it).
                if case .update(let node, _) = operation {
                    guard let old = copy.nodes[node.id] else { throw ReferenceGraph.fail(.missingRecord) }
                    guard old.kind == node.kind else { throw ReferenceGraph.fail(.wrongKind) }
                    guard old.namespace == node.namespace else { throw ReferenceGraph.fail(.namespaceMismatch) }
                }
                throw ReferenceGraph.fail(code)
            }
            reference = copy
            return outcome
        } catch let error as StrataError {
            return .failed(error.code)
        } catch {
            return .failed(StrataError.Code("unexpected \(error)"))
        }
    }
}
