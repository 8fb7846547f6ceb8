import BenchCore
import Testing

/// The scale workload's measurements: `/proc` parsing, p99.9 and maximum, the histogram, the JSON line.
@Suite("Scale workload measurements")
struct ScaleMeasurementTests {
    static let ioText = """
        rchar: 323934931
        wchar: 323929600
        syscr: 632687
        syscw: 632675
        read_bytes: 4096
        write_bytes: 325545984
        cancelled_write_bytes: 1048576

        """

    @Test func parsesProcSelfIO() throws {
        let io = try #require(ProcessIO.parse(Self.ioText))
        #expect(io.writeBytes == 325_545_984)
        #expect(io.cancelledWriteBytes == 1_048_576)
        #expect(io.readBytes == 4096)
        #expect(io.netWriteBytes == 325_545_984 - 1_048_576)
    }

    @Test func rejectsIncompleteOrMalformedIO() {
        #expect(ProcessIO.parse("read_bytes: 1\nwrite_bytes: 2\n") == nil)
        #expect(ProcessIO.parse("read_bytes: 1\nwrite_bytes: x\ncancelled_write_bytes: 0\n") == nil)
        #expect(ProcessIO.parse("") == nil)
    }

    @Test func parsesProcSelfStatus() throws {
        let text = """
            Name:\tstrata-bench
            VmPeak:\t  301232 kB
            VmHWM:\t  240128 kB
            VmRSS:\t  176000 kB
            RssAnon:\t   50000 kB
            Threads:\t3

            """
        let memory = try #require(ProcessMemory.parse(text))
        #expect(memory.peakResidentBytes == 240_128 * 1024)
        #expect(memory.residentBytes == 176_000 * 1024)
        #expect(memory.anonymousResidentBytes == 50_000 * 1024)
        #expect(ProcessMemory.parse("VmHWM:\t 2 kB\nVmRSS:\t 1 kB\n")?.anonymousResidentBytes == nil)
        #expect(ProcessMemory.parse("VmRSS:\t 1 kB\n") == nil)
    }

    @Test func readsThisProcess() throws {
        #if os(Linux)
        let memory = try #require(ProcessMemory.current())
        #expect(memory.peakResidentBytes >= memory.residentBytes)
        #expect(memory.residentBytes > 1 << 20)
        #expect(ProcessIO.current() != nil)
        #endif
    }

    @Test func perMillePercentilesAndMaximum() {
        let thousand = Percentiles((1...1000).map(UInt64.init).reversed())
        #expect(thousand.nanoseconds(perMille: 999) == 999)
        #expect(thousand.nanoseconds(perMille: 500) == 500)
        #expect(thousand.nanoseconds(perMille: 1000) == 1000)
        #expect(thousand.maximum == 1000)
        // 10,000 commits with ten stalls: p99.9 is the smallest of the ten largest.
        let stalls = [UInt64](repeating: 100, count: 9990) + (1...10).map { 1_000_000 * $0 }
        let p = Percentiles(stalls)
        #expect(p.nanoseconds(perMille: 999) == 100)
        // Eleven stalls in 10,000: rank ceil(0.999 * 10,000) = 9,990 is the smallest stall.
        let eleven = [UInt64](repeating: 100, count: 9989) + (1...11).map { 1_000_000 * $0 }
        #expect(Percentiles(eleven).nanoseconds(perMille: 999) == 1_000_000)
        #expect(p.maximum == 10_000_000)
        #expect(Percentiles([]).nanoseconds(perMille: 999) == nil)
        #expect(Percentiles([]).maximum == nil)
    }

    @Test func histogramBuckets() {
        #expect(LatencyHistogram.edges.first == 1000)
        #expect(LatencyHistogram.edges[1] == 1250)
        #expect(LatencyHistogram.edges[10] == 10_000)
        #expect(LatencyHistogram.bucket(0) == 0)
        #expect(LatencyHistogram.bucket(1249) == 0)
        #expect(LatencyHistogram.bucket(1250) == 1)
        #expect(LatencyHistogram.bucket(9_999) == 9)
        #expect(LatencyHistogram.bucket(10_000) == 10)
        #expect(LatencyHistogram.bucket(UInt64.max) == LatencyHistogram.edges.count - 1)
        let histogram = LatencyHistogram([500, 1300, 1400, 2_500_000])
        #expect(histogram.counts.reduce(0, +) == 4)
        #expect(histogram.json == "[[1,1],[1.25,2],[2500,1]]")
    }

    @Test func scaleJSONLine() {
        var result = ScaleResult(
            base: WorkloadResult(peer: "lmdb", workload: "scale_fillrandom", n: 3000, opsPerSecond: 1000, milliseconds: 3000, seed: 42),
            keys: 3000, budgetMiB: 64)
        result.setLatencies([1_000, 2_000, 9_000_000])
        result.writeBytes = 696_000
        result.writeAmplification = 2
        result.peakResidentMiB = 100.25
        result.harnessResidentMiB = 20
        #expect(result.jsonLine == #"{"peer":"lmdb","workload":"scale_fillrandom","n":3000,"ops_per_s":1000.0,"p50_us":2.00,"p99_us":9000.00,"bytes_on_disk":null,"space_amp":null,"misses":null,"ms":3000.0,"seed":42,"scale_n":3000,"p999_us":9000.00,"max_us":9000.00,"write_bytes":696000,"write_amp":2.000,"peak_rss_mib":100.3,"anon_rss_mib":null,"harness_rss_mib":20.0,"budget_mib":64,"capped":false,"hist_us":[[1,1],[2,1],[8000,1]]}"#)
    }
}
