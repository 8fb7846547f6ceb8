#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a target's seed corpus when `STRATA_FUZZ_WRITE_SEEDS` names a directory, then exits:
/// `fuzz.sh --seed` uses it to regenerate `Fuzz/corpus/<target>/`.
public enum FuzzSeedWriter {
    public static func writeIfRequested(_ target: FuzzTarget) {
        guard let directory = getenv("STRATA_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) else { return }
        for seed in target.seeds() {
            let path = directory + "/" + seed.name
            guard let file = fopen(path, "wb") else { fatalError("cannot create \(path)") }
            _ = seed.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
        }
        print("wrote \(target.seeds().count) seeds to \(directory)")
        exit(0)
    }
}

/// Without libFuzzer: runs each file named on the command line through the target once and
/// says so, to reproduce a crash in a debugger or an ordinary build.
public enum FuzzReplay {
    public static func main(_ target: FuzzTarget) {
        FuzzSeedWriter.writeIfRequested(target)
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            print("usage: fuzz-\(target.rawValue) FILE...  (build with fuzz.sh to fuzz)")
            exit(2)
        }
        for path in paths {
            guard let bytes = readFile(path) else { fatalError("cannot read \(path)") }
            bytes.withUnsafeBufferPointer { target.run($0.baseAddress, $0.count) }
            print("\(path): ok")
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if got == 0 { break }
            bytes.append(contentsOf: buffer[0..<got])
        }
        return bytes
    }
}

#if STRATA_LIBFUZZER
/// libFuzzer's entry point for a program that owns `main` (SwiftPM names an executable's
/// entry point `<module>_main` and makes `main` an alias of it, so libFuzzer's own `main`
/// is never linked in). Declared here because libFuzzer ships no module map.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Hands control to libFuzzer, which calls `callback` with each input.
public enum FuzzDriver {
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }
}
#endif
