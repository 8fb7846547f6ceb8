import Testing
@testable import StrataEngine

@Suite struct StrataErrorTests {
    @Test func catchMatchesByCode() {
        func fail() throws { throw StrataError(.locked, "held by pid 1", path: "/tmp/x/LOCK") }
        var matched = false
        do { try fail() } catch StrataError.Code.locked { matched = true } catch {}
        #expect(matched)
    }

    @Test func descriptionNamesFileAndOffset() {
        let error = StrataError.corruption("bad checksum", path: "/d/wal-1.log", offset: 4096)
        #expect(error.description == "corruption: bad checksum [/d/wal-1.log @ 4096]")
    }
}
