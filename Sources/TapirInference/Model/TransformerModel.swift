import Foundation

/// A llama-family decoder (architectures `llama` and `qwen2`) whose weights live in a
/// memory-mapped GGUF file. Runs a batch of tokens from one or more sequences at once, each
/// sequence with its own `KVCache`. Not reentrant: one `forward` at a time.
public final class TransformerModel: @unchecked Sendable {
    public let config: ModelConfig
    public let file: GGUFFile
    public let vocabularySize: Int
    let pool: WorkerPool

    struct Layer {
        var attnNorm: [Float]
        var ffnNorm: [Float]
        var q, k, v, o: WeightMatrix
        var qBias, kBias, vBias: [Float]?
        var gate, up, down: WeightMatrix
    }

    let embedding: WeightMatrix
    let output: WeightMatrix
    let outputNorm: [Float]
    let layers: [Layer]
    /// Test hook: called with (tensor name as in llama.cpp's graph, layer or -1, values, count)
    /// after each step of a forward pass, to compare intermediate activations with a reference.
    var tap: ((String, Int, UnsafePointer<Float>, Int) -> Void)?
    /// RoPE: the per-pair angle ratio base^(-2/dims), the frequency scale (1 / linear
    /// scaling factor) and the per-pair frequency factors (`rope_freqs`, else 1).
    let ropeThetaScale: Float
    let ropeFrequencyScale: Float
    let ropeFrequencyFactors: [Float]

    /// One sequence's share of a forward batch.
    public struct Item {
        public var cache: KVCache
        public var tokens: [Int32]
        /// Logits for every token (scoring) instead of only the last (generation).
        public var allLogits: Bool
        public init(cache: KVCache, tokens: [Int32], allLogits: Bool = false) {
            self.cache = cache
            self.tokens = tokens
            self.allLogits = allLogits
        }
    }

    /// Loads the model in `file`, multiplying on `threads` worker threads.
    public init(file: GGUFFile, threads: Int) throws {
        let config = try ModelConfig(metadata: file.metadata)
        self.config = config
        self.file = file
        pool = WorkerPool(threads: threads)
        let d = config.embeddingLength

        func info(_ name: String) throws -> GGUFTensorInfo {
            guard let t = file.tensor(named: name) else { throw GGUFError.missingTensor(name: name) }
            return t
        }
        func matrix(_ name: String, columns: Int, rows: Int?) throws -> WeightMatrix {
            let t = try info(name)
            guard t.type.isSupported else {
                throw InferenceError.unsupportedTensorType(tensor: name, type: "\(t.type)")
            }
            guard t.dimensions.count == 2, t.dimensions[0] == columns, rows == nil || t.dimensions[1] == rows else {
                throw GGUFError.invalidTensor(
                    name: name, reason: "shape \(t.dimensions), expected [\(columns), \(rows.map(String.init) ?? "n")]")
            }
            if t.type.blockSize == 32 || t.type.blockSize == 256 {
                guard columns % t.type.blockSize == 0 else {
                    throw GGUFError.invalidTensor(name: name, reason: "row length \(columns) is not a multiple of the block size")
                }
            }
            return WeightMatrix(type: t.type, rows: t.dimensions[1], columns: columns, data: file.pointer(to: t), owner: file)
        }
        func vector(_ name: String, _ n: Int) throws -> [Float] {
            let t = try info(name)
            guard t.type.isSupported, t.elementCount == n, t.type.blockSize == 1 || n % t.type.blockSize == 0 else {
                throw GGUFError.invalidTensor(name: name, reason: "expected \(n) elements, found \(t.dimensions) of \(t.type)")
            }
            var out = [Float](repeating: 0, count: n)
            out.withUnsafeMutableBufferPointer { Dequantize.row(t.type, file.pointer(to: t), count: n, into: $0.baseAddress!) }
            return out
        }

        guard d % 32 == 0, config.feedForwardLength % 32 == 0, config.qDimension % 32 == 0 else {
            throw GGUFError.invalidMetadata(key: "\(config.architecture).embedding_length", reason: "widths must be multiples of 32")
        }
        embedding = try matrix("token_embd.weight", columns: d, rows: nil)
        vocabularySize = embedding.rows
        outputNorm = try vector("output_norm.weight", d)
        output = file.tensor(named: "output.weight") != nil
            ? try matrix("output.weight", columns: d, rows: vocabularySize) : embedding

        var layers: [Layer] = []
        let kv = config.kvDimension, qd = config.qDimension
        for i in 0..<config.layerCount {
            let p = "blk.\(i)."
            let hasBias = config.architecture == .qwen2
            layers.append(Layer(
                attnNorm: try vector(p + "attn_norm.weight", d),
                ffnNorm: try vector(p + "ffn_norm.weight", d),
                q: try matrix(p + "attn_q.weight", columns: d, rows: qd),
                k: try matrix(p + "attn_k.weight", columns: d, rows: kv),
                v: try matrix(p + "attn_v.weight", columns: d, rows: kv),
                o: try matrix(p + "attn_output.weight", columns: qd, rows: d),
                qBias: hasBias ? try vector(p + "attn_q.bias", qd) : nil,
                kBias: hasBias ? try vector(p + "attn_k.bias", kv) : nil,
                vBias: hasBias ? try vector(p + "attn_v.bias", kv) : nil,
                gate: try matrix(p + "ffn_gate.weight", columns: d, rows: config.feedForwardLength),
                up: try matrix(p + "ffn_up.weight", columns: d, rows: config.feedForwardLength),
                down: try matrix(p + "ffn_down.weight", columns: config.feedForwardLength, rows: d)))
        }
        self.layers = layers

        let half = config.ropeDimensionCount / 2
        var freqFactors = [Float](repeating: 1, count: half)
        if file.tensor(named: "rope_freqs.weight") != nil {
            freqFactors = try vector("rope_freqs.weight", half)
        }
        ropeFrequencyFactors = freqFactors
        ropeThetaScale = Foundation.pow(config.ropeFrequencyBase, -2 / Float(config.ropeDimensionCount))
        ropeFrequencyScale = 1 / config.ropeScale
        // The quantised weights now live in repacked copies; let the mapped pages go.
        file.releaseResidentPages()
    }

    deinit { pool.shutdown() }

    /// A fresh, empty cache for one sequence.
    public func makeCache(capacity: Int = 64) -> KVCache {
        KVCache(layers: config.layerCount, width: config.kvDimension, capacity: capacity)
    }

    /// Appends each item's tokens to its sequence and returns, per item, the logits of its
    /// last token (`vocabularySize` floats) or of every token (`tokens.count × vocabularySize`).
    public func forward(_ items: [Item]) throws -> [[Float]] {
        var total = 0
        for item in items {
            guard !item.tokens.isEmpty else { throw InferenceError.emptyPrompt }
            let end = item.cache.count + item.tokens.count
            guard end <= config.contextLength else {
                throw InferenceError.contextOverflow(tokens: end, limit: config.contextLength)
            }
            for t in item.tokens where t < 0 || Int(t) >= vocabularySize {
                throw InferenceError.invalidToken(t, vocabularySize: vocabularySize)
            }
            total += item.tokens.count
        }
        guard total > 0 else { return [] }
        guard Set(items.map { ObjectIdentifier($0.cache) }).count == items.count else {
            throw InferenceError.duplicateSequence
        }
        for item in items { item.cache.reserve(item.cache.count + item.tokens.count) }
        return run(items, total: total)
    }
}
