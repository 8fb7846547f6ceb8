import Foundation
import StrataTestSupport
import Testing

@testable import StrataEngine

@Suite struct ReferenceModelTests {
    static func model() -> ReferenceModel {
        var model = ReferenceModel()
        for key in [[3], [1], [2, 0], [2], [4]] as [[UInt8]] { model.insert(key + key, forKey: key, in: "t") }
        return model
    }

    @Test func keepsKeysInBytewiseOrder() {
        var model = Self.model()
        #expect(model.entries(in: "t").map(\.key) == [[1], [2], [2, 0], [3], [4]])
        #expect(model.insert([9], forKey: [2], in: "t") == [2, 2])
        #expect(model.get([2], in: "t") == [9])
        #expect(model.remove([3], from: "t") == [3, 3])
        #expect(model.remove([3], from: "t") == nil)
        #expect(model.count(in: "t") == 4)
        #expect(model.first(in: "t")?.key == [1])
        #expect(model.last(in: "t")?.key == [4])
    }

    @Test func rangesHonourBoundsAndDirection() {
        let model = Self.model()
        func keys(_ entries: [ReferenceModel.Entry]) -> [[UInt8]] { entries.map(\.key) }
        #expect(keys(model.range(in: "t", lower: [2], upper: [3])) == [[2], [2, 0]])
        #expect(keys(model.range(in: "t", lower: [2], lowerInclusive: false, upper: [3], upperInclusive: true)) == [[2, 0], [3]])
        #expect(keys(model.range(in: "t", upper: [2], reverse: true)) == [[1]])
        #expect(keys(model.range(in: "t", lower: [5])) == [])
        #expect(keys(model.range(in: "t", lower: [3], upper: [2])) == [])
        #expect(keys(model.prefix([2], in: "t", reverse: true)) == [[2, 0], [2]])
    }

    @Test func treesAreIndependent() {
        var model = Self.model()
        model.insert([1], forKey: [1], in: "u")
        #expect(model.treeNames == ["t", "u"])
        model.clear("t")
        #expect(model.contains(tree: "t") && model.count(in: "t") == 0)
        let existed = model.drop("u")
        #expect(existed)
        #expect(!model.contains(tree: "u") && model.get([1], in: "u") == nil)
    }
}

@Suite struct SeededRandomTests {
    @Test func sameSeedSameSequence() {
        var first = SeededRandom(seed: 12345)
        var second = SeededRandom(seed: 12345)
        #expect((0..<100).map { _ in first.next() } == (0..<100).map { _ in second.next() })
        #expect(first.seedDescription.hasPrefix("seed 12345"))
        var third = SeededRandom(seed: 1)
        #expect(third.bytes(count: 13).count == 13)
    }
}

@Suite struct TemporaryDirectoryTests {
    @Test func removesItselfWithItsContents() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path
        try PosixFileSystem().createDirectory(directory.appending("a/b"))
        #expect(FileManager.default.createFile(atPath: directory.appending("a/b/file"), contents: Data([1])))
        #expect(FileManager.default.fileExists(atPath: path))
        directory.remove()
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
