import StrataTestSupport
import Testing

@testable import StrataEngine

/// Leaf and branch searches compare ``KeyPrefix`` hints before keys. These check them against
/// a sorted array for keys built to stress the prefix: long shared runs, keys shorter than the
/// prefix, zero bytes at the end (which hints pad with), probes outside the prefix, hint ties.
@Suite struct NodeSearchTests {
    static let alphabet: [UInt8] = [0x00, 0x01, 0x61, 0x7F, 0x80, 0xFF]

    /// A key made of a shared stem, then a few random bytes from a small alphabet, so keys
    /// tie on their hints often.
    static func key(stem: [UInt8], using rng: inout SeededRandom) -> [UInt8] {
        var key = Array(stem.prefix(Int.random(in: 0...stem.count, using: &rng)))
        for _ in 0..<Int.random(in: 0...7, using: &rng) { key.append(alphabet.randomElement(using: &rng)!) }
        return key.isEmpty ? [0x00] : key
    }

    static func stem(using rng: inout SeededRandom) -> [UInt8] {
        (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
    }

    /// Inserts in random order (so the prefix narrows and hints are recomputed mid-way),
    /// then checks every probe, after inserts, a split, a compaction and a copy.
    @Test func leafSearchMatchesSortedKeys() {
        var rng = SeededRandom(seed: 31)
        for round in 0..<300 {
            let stem = Self.stem(using: &rng)
            var keys = Set<[UInt8]>()
            for _ in 0..<Int.random(in: 1...80, using: &rng) { keys.insert(Self.key(stem: stem, using: &rng)) }
            let leaf = LeafNode(largeValueThreshold: 1024)
            for key in keys.shuffled(using: &rng) {
                key.withUnsafeBytes { k in
                    let (index, found) = leaf.search(k)
                    #expect(!found)
                    [UInt8](repeating: 7, count: 3).withUnsafeBytes { leaf.insert(at: index, key: k, value: $0) }
                }
            }
            let sorted = keys.sorted { $0.lexicographicallyPrecedes($1) }
            var probes = Array(keys)
            for _ in 0..<60 { probes.append(Self.key(stem: Self.stem(using: &rng), using: &rng)) }
            for _ in 0..<60 { probes.append(Self.key(stem: stem, using: &rng)) }
            check(leaf, sorted, probes, "round \(round) (\(rng.seedDescription))")
            if sorted.count > 1 {
                let at = Int.random(in: 1..<sorted.count, using: &rng)
                let right = leaf.split(at: at)
                check(leaf, Array(sorted[..<at]), probes, "left of split, round \(round)")
                check(right, Array(sorted[at...]), probes, "right of split, round \(round)")
                check(right.copy(), Array(sorted[at...]), probes, "copy, round \(round)")
            }
        }
    }

    private func check(_ leaf: LeafNode, _ sorted: [[UInt8]], _ probes: [[UInt8]], _ context: String) {
        #expect(leaf.count == sorted.count, "\(context)")
        for probe in probes {
            let expected = sorted.firstIndex { !$0.lexicographicallyPrecedes(probe) } ?? sorted.count
            let found = expected < sorted.count && sorted[expected] == probe
            let got = probe.withUnsafeBytes { leaf.search($0) }
            #expect(got.index == expected && got.found == found, "probe \(probe): \(context)")
            if got.index != expected || got.found != found { return }
        }
    }

    /// childIndex is the number of separators at or below the key, for every probe.
    @Test func branchChildIndexMatchesSortedSeparators() {
        var rng = SeededRandom(seed: 32)
        let address = PageAddress(segment: 1, offset: 0, length: 1, checksum: 0)
        for round in 0..<300 {
            let stem = Self.stem(using: &rng)
            var set = Set<[UInt8]>()
            for _ in 0..<Int.random(in: 1...80, using: &rng) { set.insert(Self.key(stem: stem, using: &rng)) }
            let separators = set.sorted { $0.lexicographicallyPrecedes($1) }
            // Built by inserting separators in random order, as splits of children do.
            let branch = BranchNode(level: 1)
            branch.appendChild(ChildRef(address: address))
            var present: [[UInt8]] = []
            for separator in separators.shuffled(using: &rng) {
                let index = present.firstIndex { !$0.lexicographicallyPrecedes(separator) } ?? present.count
                separator.withUnsafeBytes { branch.insertSeparator($0, rightChild: ChildRef(address: address), at: index) }
                present.insert(separator, at: index)
            }
            var probes = separators
            for _ in 0..<60 { probes.append(Self.key(stem: Self.stem(using: &rng), using: &rng)) }
            for _ in 0..<60 { probes.append(Self.key(stem: stem, using: &rng)) }
            for node in [branch, branch.copy()] {
                for probe in probes {
                    let expected = separators.filter { !probe.lexicographicallyPrecedes($0) }.count
                    let got = probe.withUnsafeBytes { node.childIndex(for: $0) }
                    #expect(got == expected, "probe \(probe), round \(round) (\(rng.seedDescription))")
                    if got != expected { return }
                }
            }
        }
    }

    /// `word` against a byte-by-byte reference, for every key length, offset and count,
    /// including the loads near a key's end.
    @Test func wordMatchesBytes() {
        var rng = SeededRandom(seed: 33)
        for length in 0...24 {
            let key = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for offset in 0...length + 2 {
                for count in 0...8 {
                    var expected: UInt64 = 0
                    for i in 0..<count where offset + i < length {
                        expected |= UInt64(key[offset + i]) << (56 - 8 * UInt64(i))
                    }
                    let got = key.withUnsafeBytes { KeyPrefix.word($0, from: offset, count: count) }
                    #expect(got == expected, "length \(length), offset \(offset), count \(count)")
                }
            }
        }
    }

    /// A stored branch with an empty separator is damaged (keys are never empty): decoding it
    /// throws instead of building a node the searches would have to cope with.
    @Test func branchWithAnEmptySeparatorDoesNotDecode() throws {
        let address = PageAddress(segment: 1, offset: 0, length: 1, checksum: 0)
        for separators in [[[UInt8]("m".utf8)], [[]], [[UInt8]("a".utf8), []]] {
            var writer = ByteWriter()
            for _ in 0...separators.count { address.encode(into: &writer) }
            for separator in separators {
                writer.writeVarint(UInt64(separator.count))
                writer.write(bytes: separator)
            }
            let header = PageHeader(
                kind: .branch, compressed: false, version: PageHeader.currentVersion, treeID: 1,
                storedLength: UInt32(writer.count), rawLength: UInt32(writer.count), level: 1,
                entryCount: UInt32(separators.count + 1))
            let decoded = try? PageCodec.decodeBranch(header, payload: writer.bytes)
            #expect((decoded != nil) == separators.allSatisfy { !$0.isEmpty }, "\(separators)")
        }
    }

    /// The prefix's own arithmetic: position and narrowing at every length up to its capacity.
    @Test func keyPrefixPositionsAndNarrows() {
        let key: [UInt8] = Array(0..<20).map { UInt8($0 * 13 + 1) }
        for length in 0...KeyPrefix.capacity {
            let first = Array(key[..<length]) + [0x00]
            let last = Array(key[..<length]) + [0xFF]
            let prefix = first.withUnsafeBytes { f in last.withUnsafeBytes { KeyPrefix(first: f, last: $0) } }
            #expect(prefix.length == length)
            key.withUnsafeBytes { #expect(prefix.position(of: $0) == .within) }
            if length > 0 {
                var below = key
                below[length - 1] -= 1
                below.withUnsafeBytes { #expect(prefix.position(of: $0) == .below) }
                var above = key
                above[length - 1] += 1
                above.withUnsafeBytes { #expect(prefix.position(of: $0) == .above) }
                Array(key[..<(length - 1)]).withUnsafeBytes { #expect(prefix.position(of: $0) == .below) }
                let cut = length / 2
                var other = key
                other[cut] ^= 0x40
                let narrowed = other.withUnsafeBytes { prefix.narrowed(toInclude: $0) }
                #expect(narrowed.length == cut)
                other.withUnsafeBytes { #expect(narrowed.position(of: $0) == .within) }
                key.withUnsafeBytes { #expect(narrowed.position(of: $0) == .within) }
            }
        }
    }
}
