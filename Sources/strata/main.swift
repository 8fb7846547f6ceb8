import StrataEngine
let dir = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/tmp/smoke/db"
let n = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2])! : 100_000
let clock = ContinuousClock()
let db = try Database.open(at: dir)
let t = try db.tree("t")
func key(_ i: Int) -> [UInt8] { var k = [UInt8](repeating: 0, count: 16); var v = UInt64(i).bigEndian; withUnsafeBytes(of: &v) { for j in 0..<8 { k[8+j] = $0[j] } }; return k }
var perm = Array(0..<n); var rng = SystemRandomNumberGenerator(); perm.shuffle(using: &rng)
let start = clock.now
var i = 0
while i < n {
    try db.write { tx in for j in i..<min(i+1000, n) { try tx.insert(Array(repeating: UInt8(perm[j] & 0xFF), count: 100), forKey: key(perm[j]), in: t) } }
    i += 1000
}
try db.flush()
print("fill", clock.now - start, "count", try t.count())
let r0 = clock.now
var miss = 0
for j in perm { if try t.get(key(j))?.first != UInt8(j & 0xFF) { miss += 1 } }
print("read", clock.now - r0, "miss", miss)
var c = try t.range(from: nil, to: nil); var seen = 0; var prev: [UInt8]? = nil
while let e = try c.next() { if let p = prev { precondition(p.lexicographicallyPrecedes(e.key)) }; prev = e.key; seen += 1 }
print("scan", seen)
let cp = clock.now
try db.checkpoint()
print("checkpoint", clock.now - cp)
print(try db.verify())
try db.close()
let o = clock.now
let db2 = try Database.open(at: dir)
print("reopen", clock.now - o, try db2.tree("t").count())
print(try db2.statistics().segments)
try db2.close()
