import StrataTestSupport
import Testing

@testable import StrataEngine

@Suite struct ByteCodingTests {
    @Test func integersAreLittleEndian() throws {
        var writer = ByteWriter()
        writer.write(UInt8(0xAB))
        writer.write(UInt16(0x0102))
        writer.write(UInt32(0x0304_0506))
        writer.write(UInt64(0x0708_090A_0B0C_0D0E))
        #expect(writer.bytes == [0xAB, 0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07])

        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUInt8() == 0xAB)
        #expect(try reader.readUInt16() == 0x0102)
        #expect(try reader.readUInt32() == 0x0304_0506)
        #expect(try reader.readUInt64() == 0x0708_090A_0B0C_0D0E)
        #expect(reader.isAtEnd)
        #expect(try reader.peekUInt32(at: 3) == 0x0304_0506)
    }

    static let varints: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varints)
    func varintEncoding(value: UInt64, encoded: [UInt8]) throws {
        var writer = ByteWriter()
        writer.writeVarint(value)
        #expect(writer.bytes == encoded)
        var reader = ByteReader(encoded)
        #expect(try reader.readVarint() == value)
        #expect(reader.isAtEnd)
    }

    @Test func varintsRoundTrip() throws {
        var rng = SeededRandom.fromEnvironment(default: 21)
        var writer = ByteWriter()
        let values = (0..<1000).map { _ in rng.next() >> UInt64.random(in: 0..<64, using: &rng) }
        for value in values { writer.writeVarint(value) }
        var reader = ByteReader(writer.bytes)
        for value in values { #expect(try reader.readVarint() == value, "\(rng.seedDescription)") }
        #expect(reader.isAtEnd)
    }

    @Test func rejectsOverlongAndOverflowingVarints() {
        let elevenBytes = [UInt8](repeating: 0x80, count: 10) + [0x00]
        let tenthByteTooBig = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        let cutOff: [UInt8] = [0x80, 0x80]
        for bytes in [elevenBytes, tenthByteTooBig, cutOff, []] {
            var reader = ByteReader(bytes)
            #expect(throws: ByteReader.OutOfBounds(offset: 0)) { try reader.readVarint() }
            #expect(reader.offset == 0)
        }
    }

    @Test func rejectsTruncatedInput() throws {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readUInt32() }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readUInt64() }
        #expect(try reader.readUInt16() == 0x0201)
        #expect(throws: ByteReader.OutOfBounds(offset: 2)) { try reader.readUInt16() }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readBytes(count: 2) }
        #expect(try reader.readBytes(count: 1) == [3])
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readUInt8() }
    }

    @Test func hostilePositionsAndCountsThrowInsteadOfTrapping() {
        var reader = ByteReader([1, 2, 3, 4])
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.peekUInt32(at: -1) }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.peekUInt32(at: Int.max) }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.peekUInt64(at: Int.max - 3) }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readBytes(count: -1) }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readBytes(count: Int.max) }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.skip(Int.max) }
        reader.offset = Int.max
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readUInt8() }
        #expect(throws: ByteReader.OutOfBounds.self) { try reader.readVarint() }
    }

    @Test func bytesAndBackpatching() throws {
        var writer = ByteWriter()
        writer.write(UInt32(0))
        writer.write(bytes: [9, 8, 7])
        writer.write(bytes: ArraySlice<UInt8>([6, 5]))
        writer.set(UInt32(5), at: 0)
        var reader = ByteReader(writer.bytes)
        let count = Int(try reader.readUInt32())
        #expect(Array(try reader.readBytes(count: count)) == [9, 8, 7, 6, 5])
    }

    @Test func randomInputNeverTraps() {
        var rng = SeededRandom.fromEnvironment(default: 8)
        for _ in 0..<2000 {
            var reader = ByteReader(rng.bytes(count: Int.random(in: 0...24, using: &rng)))
            while true {
                do {
                    switch Int.random(in: 0..<5, using: &rng) {
                    case 0: _ = try reader.readVarint()
                    case 1: _ = try reader.readUInt64()
                    case 2: _ = try reader.readBytes(count: Int(try reader.readUInt8()))
                    case 3: _ = try reader.readUInt16()
                    default: _ = try reader.peekUInt32(at: Int(try reader.readUInt8()))
                    }
                } catch {
                    break
                }
            }
        }
    }
}
