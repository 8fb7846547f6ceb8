import FuzzTargets

// fuzz.sh builds this with -sanitize=fuzzer,address and -D STRATA_LIBFUZZER: the entry point
// starts libFuzzer, which calls LLVMFuzzerTestOneInput. Built plainly, the executable replays
// the files named on its command line instead.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.superblock.run(data, size)
    return 0
}

#if STRATA_LIBFUZZER
@_cdecl("fuzz_superblock_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzSeedWriter.writeIfRequested(.superblock)
    return FuzzDriver.run(argc, argv, fuzz)
}
#else
@main
struct Replay {
    static func main() { FuzzReplay.main(.superblock) }
}
#endif
