import Foundation

/// Where the tests find sqlite-vec's loadable extension: `MW1_SQLITE_VEC`, else the one in
/// `Benchmarks/.venv-mw1` that `run-mw1.sh` installs. Nil when neither exists (the tests that
/// need it are then skipped, and say so; `run-mw1.sh --smoke` runs the store end to end).
enum SQLiteVecLocation {
    static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["MW1_SQLITE_VEC"], !path.isEmpty { return path }
        let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let lib = benchmarks.appendingPathComponent(".venv-mw1/lib")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        for python in versions.sorted() where python.hasPrefix("python") {
            let candidate = lib.appendingPathComponent("\(python)/site-packages/sqlite_vec/vec0.so").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }()
}
