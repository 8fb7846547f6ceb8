/// A 4-byte value a TEXMEX file holds: `Float` in fvecs files, `Int32` in ivecs files.
public protocol TexmexScalar: BitwiseCopyable, Sendable, Equatable {
    /// The value whose little-endian bit pattern is `bits`.
    init(texmexBits bits: UInt32)
    /// The value's bit pattern, as stored (little-endian).
    var texmexBits: UInt32 { get }
}

extension Float: TexmexScalar {
    /// The Float32 with these bits.
    public init(texmexBits bits: UInt32) { self.init(bitPattern: bits) }
    /// The Float32's bits.
    public var texmexBits: UInt32 { bitPattern }
}

extension Int32: TexmexScalar {
    /// The Int32 with these bits.
    public init(texmexBits bits: UInt32) { self.init(bitPattern: bits) }
    /// The Int32's bits.
    public var texmexBits: UInt32 { UInt32(bitPattern: self) }
}
