@testable import StrataEngine

/// Reads back how a tree's checkpointed pages are stored: every page header (leaves, branches,
/// blobs) and, per leaf entry, whether its value is inline or out of line.
struct StoredPageProbe {
    var headers: [PageHeader] = []
    var inlineValues = 0
    var externalValues = 0

    var compressedPages: Int { headers.filter(\.compressed).count }
    var blobPages: Int { headers.filter { $0.kind == .blob }.count }

    /// Walks `tree` from its stored root; call after a checkpoint (dirty nodes are not walked).
    init(_ tree: Tree) throws {
        let store = tree.database.store
        try tree.database.withRoot(of: tree.id) { state in
            guard let root = state.root, root.node == nil else { return }
            try walk(root.address, store)
        }
    }

    private mutating func walk(_ address: PageAddress, _ store: PageStore) throws {
        let (header, payload) = try store.unframe(address)
        headers.append(header)
        switch header.kind {
        case .branch:
            for child in try PageCodec.decodeBranch(header, payload: payload).children { try walk(child.address, store) }
        case .leaf:
            let leaf = try PageCodec.decodeLeaf(header, payload: payload, largeValueThreshold: 1 << 20)
            for index in 0..<leaf.count {
                if let blob = leaf.externalAddress(at: index) {
                    externalValues += 1
                    headers.append(try store.unframe(blob).0)
                } else {
                    inlineValues += 1
                }
            }
        case .blob, .catalog:
            break
        }
    }
}
