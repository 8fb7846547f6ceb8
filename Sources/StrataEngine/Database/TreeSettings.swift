/// How one tree stores its values, chosen when the tree is created and persisted with it (in the
/// catalog, and in the WAL's create-tree operation).
///
/// A setting left `nil` follows the database's ``Database/Configuration`` at each open (what
/// every tree did before per-tree settings existed). For float vectors (1.5 KiB to 6 KiB
/// Float32 embeddings) turn compression off (LZ4 saves nothing on floats and costs a pass
/// over every page) and keep the threshold below the vector size, so that each vector is one
/// blob page: one read on a cache miss, and leaves that stay small and hot.
///
/// ```swift
/// let vectors = try db.tree("vectors", settings: TreeSettings(largeValueThreshold: 512, compression: false))
/// ```
public struct TreeSettings: Sendable, Hashable {
    /// Values longer than this many bytes are stored out of line, each in its own blob page;
    /// nil follows ``Database/Configuration/largeValueThreshold``. Allowed: 64 ... pageSize / 2.
    public var largeValueThreshold: Int?
    /// Whether the tree's pages and blobs are LZ4-compressed when that saves at least 1/8; nil
    /// follows ``Database/Configuration/compression``.
    public var compression: Bool?

    /// Settings; nil for each value leaves it to the database's configuration.
    public init(largeValueThreshold: Int? = nil, compression: Bool? = nil) {
        self.largeValueThreshold = largeValueThreshold
        self.compression = compression
    }

    /// Every setting follows the database's configuration.
    public static let `default` = TreeSettings()

    /// Whether every setting follows the configuration (such a tree is created with the
    /// original create-tree operation, code 4).
    var isDefault: Bool { self == .default }

    /// Throws `invalidArgument` for a threshold outside 64 ... `pageSize` / 2.
    func validate(pageSize: Int) throws {
        if let threshold = largeValueThreshold, threshold < 64 || threshold > pageSize / 2 {
            throw StrataError.invalidArgument(
                "largeValueThreshold \(threshold) is out of range: it must be 64 ... \(pageSize / 2) (pageSize / 2)")
        }
    }

    /// The threshold a leaf of this tree uses under a configuration's defaults (never above
    /// half a page, should the page size have shrunk since the tree was created).
    func effectiveThreshold(default fallback: Int, pageSize: Int) -> Int {
        min(largeValueThreshold ?? fallback, max(64, pageSize / 2))
    }
}
