/// Hyperparameters of a llama-family model, read from GGUF metadata.
public struct ModelConfig: Sendable, Hashable {
    /// Supported architectures.
    public enum Architecture: String, Sendable {
        /// Llama 2/3, TinyLlama, SmolLM2: no attention biases, RoPE on adjacent pairs.
        case llama
        /// Qwen2: q/k/v biases, RoPE on split halves (NeoX style).
        case qwen2
    }

    public var architecture: Architecture
    public var layerCount: Int
    public var embeddingLength: Int
    public var feedForwardLength: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDimension: Int
    public var contextLength: Int
    public var rmsEpsilon: Float
    public var ropeFrequencyBase: Float
    public var ropeDimensionCount: Int
    /// Linear RoPE position scaling factor (1 = none).
    public var ropeScale: Float

    /// Width of the key/value projections.
    public var kvDimension: Int { kvHeadCount * headDimension }
    /// Width of the query projection.
    public var qDimension: Int { headCount * headDimension }

    public init(metadata m: [String: GGUFValue]) throws {
        guard let archName = m["general.architecture"]?.stringValue else {
            throw GGUFError.missingMetadata(key: "general.architecture")
        }
        guard let arch = Architecture(rawValue: archName) else { throw InferenceError.unsupportedArchitecture(archName) }
        architecture = arch
        let p = archName + "."
        func int(_ key: String, default d: Int? = nil, range: ClosedRange<Int> = 1...1 << 20) throws -> Int {
            guard let v = m[p + key] else {
                if let d { return d }
                throw GGUFError.missingMetadata(key: p + key)
            }
            guard let i = v.intValue, range.contains(i) else {
                throw GGUFError.invalidMetadata(key: p + key, reason: "expected an integer in \(range), found \(v)")
            }
            return i
        }
        func float(_ key: String, default d: Float) throws -> Float {
            guard let v = m[p + key] else { return d }
            guard let f = v.doubleValue, f.isFinite, f > 0 else {
                throw GGUFError.invalidMetadata(key: p + key, reason: "expected a positive number, found \(v)")
            }
            return Float(f)
        }
        layerCount = try int("block_count", range: 1...1024)
        embeddingLength = try int("embedding_length")
        feedForwardLength = try int("feed_forward_length")
        headCount = try int("attention.head_count", range: 1...4096)
        kvHeadCount = try int("attention.head_count_kv", default: headCount, range: 1...4096)
        guard headCount % kvHeadCount == 0 else {
            throw GGUFError.invalidMetadata(
                key: p + "attention.head_count_kv", reason: "\(kvHeadCount) does not divide head_count \(headCount)")
        }
        let defaultHead = embeddingLength / headCount
        headDimension = try int("attention.key_length", default: defaultHead, range: 2...8192)
        guard headDimension % 2 == 0 else {
            throw GGUFError.invalidMetadata(key: p + "attention.key_length", reason: "head dimension must be even")
        }
        contextLength = try int("context_length", default: 2048, range: 1...1 << 24)
        rmsEpsilon = try float("attention.layer_norm_rms_epsilon", default: 1e-5)
        ropeFrequencyBase = try float("rope.freq_base", default: 10000)
        ropeDimensionCount = try int("rope.dimension_count", default: headDimension, range: 2...headDimension)
        var scale: Float = 1
        if let t = m[p + "rope.scaling.type"]?.stringValue, t == "linear" {
            scale = try float("rope.scaling.factor", default: 1)
        } else if m[p + "rope.scaling.type"] == nil, m[p + "rope.scale_linear"] != nil {
            scale = try float("rope.scale_linear", default: 1)
        }
        ropeScale = scale
    }
}
