import BenchCore
import PeerLevelDB
import PeerLMDB
import PeerRocksDB
import PeerSQLite
#if canImport(PeerStrata)
import PeerStrata
#endif

/// The engines this build of strata-bench can run.
enum PeerCatalog {
    /// Every engine name, in report order, whether built or not.
    static let allNames = ["strata", "lmdb", "rocksdb", "leveldb", "sqlite"]

    /// True if PeerStrata was linked in (STRATA_BENCH_ENGINE=1 at build time).
    static var hasStrata: Bool {
        #if canImport(PeerStrata)
        return true
        #else
        return false
        #endif
    }

    /// The names that this build can run.
    static var availableNames: [String] {
        allNames.filter { $0 != "strata" || hasStrata }
    }

    /// A new, closed peer named `name`, or nil if this build lacks it.
    static func make(_ name: String) -> (any KVPeer)? {
        switch name {
        case "lmdb": return LMDBPeer()
        case "rocksdb": return RocksDBPeer()
        case "leveldb": return LevelDBPeer()
        case "sqlite": return SQLitePeer()
        #if canImport(PeerStrata)
        case "strata": return StrataPeer()
        #endif
        default: return nil
        }
    }
}
