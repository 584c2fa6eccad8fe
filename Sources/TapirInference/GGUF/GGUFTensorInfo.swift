/// Where one tensor lives in a GGUF file and what shape it has.
public struct GGUFTensorInfo: Sendable, Hashable {
    public var name: String
    /// Dimensions, fastest-varying first (ggml order: `dimensions[0]` is the row length).
    public var dimensions: [Int]
    public var type: GGMLType
    /// Offset of the data relative to the start of the tensor data section.
    public var offset: Int
    /// Size of the data in bytes.
    public var byteCount: Int

    /// Total number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }
    /// Elements per row (`dimensions[0]`).
    public var rowLength: Int { dimensions.first ?? 1 }
    /// Number of rows (product of the other dimensions).
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }
}
