import BenchCore
import Testing

/// The reference vectors of WORKLOADS.md, for N = 1,000,000 and seed 42.
@Suite("WORKLOADS.md reference vectors")
struct ReferenceVectorTests {
    static let n = 1_000_000
    static let data = WorkloadData(seed: 42)

    @Test func value7gen0() {
        let expected = #"6 ;F9EPKEZ%RrN}hd=VWSWEb*5P)t=,R~"BC|W4]v4$KG\Y&0e6 ;F9EPKEZ%RrN}hd=VWSWEb*5P)t=,R~"BC|W4]v4$KG\Y&0e"#
        #expect(String(decoding: Self.data.value(7, gen: 0), as: UTF8.self) == expected)
    }

    @Test func value7gen1() {
        let expected = #"z>=)ox~p+[xR yg$b-`,w/'#Pqa@zY)c&UO/ ??Kz;fF0"\J@Vz>=)ox~p+[xR yg$b-`,w/'#Pqa@zY)c&UO/ ??Kz;fF0"\J@V"#
        #expect(String(decoding: Self.data.value(7, gen: 1), as: UTF8.self) == expected)
    }

    @Test func valuePrefixMatchesValue() {
        for i: UInt64 in [0, 7, 999_999] {
            for gen: UInt64 in 0...2 {
                let prefix = Self.data.value(i, gen: gen).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(Self.data.valuePrefix(i, gen: gen) == prefix)
            }
        }
    }

    @Test(arguments: [
        (UInt64(1), [148012, 389532, 344144, 957300, 664165], UInt64(0x9fe1e7227917861d)),
        (UInt64(2), [925228, 331675, 502586, 56350, 592527], UInt64(0xe9cef35053e78165)),
        (UInt64(3), [331685, 359191, 787176, 632992, 362566], UInt64(0x5beb95e51acc0af9)),
        (UInt64(4), [925037, 519450, 897084, 288867, 797197], UInt64(0x010d07c6c6b882a5)),
        (UInt64(5), [860331, 279862, 810690, 254554, 71497], UInt64(0xf122ad84ca7f0bb5)),
    ])
    func permutation(tag: UInt64, first: [Int], fnv: UInt64) {
        let perm = Self.data.permutation(tag: tag, n: Self.n)
        #expect(perm.prefix(5).map(Int.init) == first)
        #expect(WorkloadData.fnv1a64(perm) == fnv)
    }

    @Test func keys() {
        #expect(WorkloadData.key(999_999) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x3f])
        #expect(WorkloadData.missingKey(999_999) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x3f, 0x2e])
        #expect(WorkloadData.key(5).withUnsafeBytes { WorkloadData.keyIndex($0) } == 5)
    }

    @Test func nearestRankPercentiles() {
        let p = Percentiles((1...100).map(UInt64.init).reversed())
        #expect(p.nanoseconds(50) == 50)
        #expect(p.nanoseconds(99) == 99)
        #expect(Percentiles([7]).nanoseconds(99) == 7)
        #expect(Percentiles((1...1000).map(UInt64.init)).nanoseconds(99) == 990)
    }

    @Test func jsonLineFormat() {
        let line = WorkloadResult(
            peer: "strata", workload: "readrandom", n: 1_000_000, opsPerSecond: 1_095_000,
            p50Microseconds: 0.85, p99Microseconds: 1.61, misses: 0, milliseconds: 913.2, seed: 42
        ).jsonLine
        #expect(line == #"{"peer":"strata","workload":"readrandom","n":1000000,"ops_per_s":1095000.0,"p50_us":0.85,"p99_us":1.61,"bytes_on_disk":null,"space_amp":null,"misses":0,"ms":913.2,"seed":42}"#)
    }
}
