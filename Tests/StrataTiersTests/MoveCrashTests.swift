#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
@_spi(Testing) import StrataEngine
import StrataGraph
import StrataTestSupport
@testable import StrataTiers
import Testing

/// Power loss at every mutating file operation of a migration (both tiers share one simulated
/// disk): after the next open's recovery every record reads exactly once, each tier verifies,
/// the catalog names each record's holder, and a further migrate finishes the work.
@Suite("Tier move crash safety")
struct MoveCrashTests {
    @Test("Power loss at every write of a migration leaves every record readable exactly once", arguments: [
        CrashMode.dropUnsynced, .keepPrefix,
    ])
    func powerLossAtEveryWrite(mode: CrashMode) throws {
        let setup = CrashSimulatingFileSystem()
        let fixture = try MoveFixture(fileSystem: setup)
        var rng = SeededRandom(seed: 12)
        let base = setup.crashImage(using: &rng, mode: .dropUnsynced)
        let expected = try {
            let store = try fixture.open(on: CrashSimulatingFileSystem(startingFrom: base))
            defer { try? store.close() }
            return try fixture.answers(store)
        }()
        #expect(expected.first == "ids \(fixture.ids)")
        // The operations a whole migration makes, from the open on.
        let counting = CrashSimulatingFileSystem(startingFrom: base)
        let full = try fixture.open(on: counting)
        let opened = counting.operationCount
        #expect(try full.migrate().records == 6)
        let total = counting.operationCount - opened
        try full.close()
        #expect(total > 20)
        var crashes = 0
        for cut in 0..<total {
            let disk = CrashSimulatingFileSystem(startingFrom: base)
            let store = try fixture.open(on: disk)
            disk.crashAfterOperations = disk.operationCount + cut
            do {
                try store.migrate()
                continue  // finished before the cut
            } catch {
                crashes += 1
            }
            let image = disk.crashImage(using: &rng, mode: mode)
            let recovered = try fixture.open(on: CrashSimulatingFileSystem(startingFrom: image))
            #expect(try fixture.answers(recovered) == expected, "cut \(cut)")
            try fixture.checkTiers(recovered)
            try recovered.migrate()
            #expect(try recovered.tier(of: fixture.old) == .archive(year: 2026, quarter: 1), "cut \(cut)")
            #expect(try recovered.tier(of: fixture.mid) == .recent, "cut \(cut)")
            #expect(try fixture.answers(recovered) == expected, "cut \(cut)")
            try fixture.checkTiers(recovered)
            try recovered.close()
        }
        // The last operations of a migration may land after its final commit was acknowledged
        // (nothing left to cut); every cut before them crashed the move.
        #expect(crashes >= total - 2 && crashes > 20)
    }
}
