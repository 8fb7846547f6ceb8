import Testing

@testable import StrataEngine

/// The retention rule: the newest obsolete WAL files that fit in the bound and run without a gap
/// up to the WAL start are kept; the rest are deleted, oldest first.
@Suite struct WALRetentionTests {
    static func files(_ ids: [UInt64], bytes: Int64 = 10) -> [(id: UInt64, bytes: Int64)] {
        ids.map { ($0, bytes) }
    }

    @Test func keepsTheNewestFilesThatFit() {
        #expect(WALRetention.obsolete(files: Self.files([1, 2, 3, 4, 5, 6]), walStart: 6, retentionBytes: 25) == [1, 2, 3])
        #expect(WALRetention.obsolete(files: Self.files([1, 2, 3, 4, 5, 6]), walStart: 6, retentionBytes: 50) == [])
        #expect(WALRetention.obsolete(files: Self.files([1, 2, 3, 4, 5, 6]), walStart: 6, retentionBytes: 9) == [1, 2, 3, 4, 5])
    }

    @Test func noRetentionDeletesEveryObsoleteFileAndNeverAReplayedOne() {
        #expect(WALRetention.obsolete(files: Self.files([3, 4, 7, 8]), walStart: 7, retentionBytes: 0) == [3, 4])
        #expect(WALRetention.obsolete(files: Self.files([7, 8]), walStart: 7, retentionBytes: 0) == [])
        #expect(WALRetention.obsolete(files: [], walStart: 0, retentionBytes: 0) == [])
    }

    @Test func filesBeforeAGapAreDeleted() {
        // wal 3 is missing (its deletion succeeded while 1 and 2's failed): 1 and 2 are no history.
        #expect(WALRetention.obsolete(files: Self.files([1, 2, 4, 5, 6]), walStart: 6, retentionBytes: 1000) == [1, 2])
        // Nothing kept runs up to the WAL start: all of them go.
        #expect(WALRetention.obsolete(files: Self.files([1, 2, 3]), walStart: 6, retentionBytes: 1000) == [1, 2, 3])
    }
}
