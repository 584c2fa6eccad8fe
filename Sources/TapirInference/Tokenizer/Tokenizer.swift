/// A text tokenizer built from GGUF metadata: byte-level BPE (`tokenizer.ggml.model` = `gpt2`)
/// with the pre-tokenizer named by `tokenizer.ggml.pre`, or SentencePiece (`llama`) with
/// byte fallback. Encoding follows llama.cpp's tokenizer exactly (same ids).
public struct Tokenizer: Sendable {
    /// The tokenizer family.
    public enum Kind: String, Sendable {
        case bytePairEncoding = "gpt2"
        case sentencePiece = "llama"
    }

    public let kind: Kind
    /// The `tokenizer.ggml.pre` name in effect (`default` when the file names none).
    public let preTokenizerName: String
    /// Beginning-of-sequence token.
    public let bos: Int32?
    /// End-of-sequence token.
    public let eos: Int32?
    /// End-of-turn token (`<|eot_id|>`, `<|im_end|>` …) when the vocabulary has one.
    public let eot: Int32?
    /// End-of-message token (`<|eom_id|>`) when the vocabulary has one.
    public let eom: Int32?
    public let unknown: Int32?
    public let padding: Int32?
    /// Every token that ends generation: eos, eot, eom and the end-of-turn tokens of common templates.
    public let eosIDs: Set<Int32>
    /// Whether `encode(_:addSpecial: true)` puts BOS first / EOS last.
    public let addBOS: Bool
    public let addEOS: Bool
    /// SentencePiece: a space is put before text that starts the input or follows a special token.
    public let addSpacePrefix: Bool
    /// The vocabulary size (`tokenizer.ggml.tokens` count).
    public var vocabularySize: Int { tokens.count }

    let tokens: [String]
    let types: [TokenType]
    let scores: [Float]
    /// The bytes each token stands for in decoded text (control tokens: their text).
    let pieces: [[UInt8]]
    /// BPE: decoded bytes → token; SentencePiece: token text bytes → token.
    let idForBytes: [[UInt8]: Int32]
    /// The token for each single byte (BPE: byte-level letter; SentencePiece: `<0xXX>`), -1 when absent.
    let byteTokens: [Int32]
    /// BPE merges keyed by `left << 32 | right` token ids.
    let merges: [UInt64: MergeRule]
    let preTokenizer: PreTokenizer?
    /// BPE: a word that is itself a token is not merged (llama-3 style vocabularies).
    let ignoreMerges: Bool
    /// Control, user-defined and unknown tokens, longest first.
    let specialTokens: [SpecialToken]

    // MARK: - Encoding

    /// Token ids for `text`.
    ///
    /// - Parameters:
    ///   - addSpecial: put BOS/EOS around the ids when the model's flags ask for them.
    ///   - parseSpecial: treat control-token text (`<|im_start|>` …) in `text` as those tokens, as
    ///     for a chat-templated prompt. User-defined tokens are always matched. Pass `false` for
    ///     untrusted text that must not produce control tokens.
    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool = true) -> [Int32] {
        var output: [Int32] = []
        output.reserveCapacity(text.utf8.count / 3 + 4)
        if addSpecial && addBOS, let bos { output.append(bos) }
        let bytes = Array(text.utf8)
        let fragments = SpecialTokenSplitter.split(bytes, specialTokens: specialTokens, parseSpecial: parseSpecial)
        var scratch = EncoderScratch()
        var previousWasSpecial = true
        bytes.withUnsafeBufferPointer { all in
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                    previousWasSpecial = true
                case .text(let range):
                    let slice = UnsafeBufferPointer(rebasing: all[range])
                    switch kind {
                    case .bytePairEncoding:
                        encodeBytePairs(slice, into: &output, scratch: &scratch)
                    case .sentencePiece:
                        encodeSentencePiece(slice, spacePrefix: addSpacePrefix && previousWasSpecial, into: &output, scratch: &scratch)
                    }
                    previousWasSpecial = false
                }
            }
        }
        if addSpecial && addEOS, let eos { output.append(eos) }
        return output
    }

    // MARK: - Decoding

    /// The text of `ids`. Control tokens (BOS, `<|im_end|>` …) are left out unless `renderSpecial`.
    /// Byte sequences that are not valid UTF-8 become U+FFFD.
    public func decode(_ ids: [Int32], renderSpecial: Bool = false) -> String {
        var bytes: [UInt8] = []
        var first = true
        for id in ids {
            let piece = tokenBytes(id, renderSpecial: renderSpecial)
            if piece.isEmpty { continue }
            if first, kind == .sentencePiece, addSpacePrefix, piece.first == 0x20 {
                bytes.append(contentsOf: piece.dropFirst())
            } else {
                bytes.append(contentsOf: piece)
            }
            first = false
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text one token stands for (for streaming). A token that holds part of a multi-byte
    /// character gives U+FFFD here; use `TextStreamDecoder` to stream text without that loss.
    public func tokenPiece(_ id: Int32) -> String {
        String(decoding: tokenBytes(id), as: UTF8.self)
    }

    /// The bytes one token stands for; empty for control tokens unless `renderSpecial`, and for ids
    /// outside the vocabulary.
    public func tokenBytes(_ id: Int32, renderSpecial: Bool = false) -> [UInt8] {
        guard id >= 0, Int(id) < pieces.count else { return [] }
        switch types[Int(id)] {
        case .control, .unknown, .unused, .undefined:
            return renderSpecial ? pieces[Int(id)] : []
        case .normal, .userDefined, .byte:
            return pieces[Int(id)]
        }
    }

    /// The vocabulary entry of a token as written in the file (`Ġthe`, `▁the`, `<|im_end|>`).
    public func tokenText(_ id: Int32) -> String? {
        guard id >= 0, Int(id) < tokens.count else { return nil }
        return tokens[Int(id)]
    }

    /// The type of a token.
    public func tokenType(_ id: Int32) -> TokenType? {
        guard id >= 0, Int(id) < types.count else { return nil }
        return types[Int(id)]
    }

    /// The id of the vocabulary entry written exactly as `text`, if any.
    public func tokenID(forText text: String) -> Int32? {
        switch kind {
        case .bytePairEncoding: idForBytes[ByteLevelAlphabet.decode(text)]
        case .sentencePiece: idForBytes[Array(text.utf8)]
        }
    }
}

/// Buffers reused while encoding one text.
struct EncoderScratch {
    var codepoints: [UInt32] = []
    var codepointOffsets: [Int] = []
    var symbols: [Int32] = []
    var starts: [Int32] = []
    var lengths: [Int32] = []
    var next: [Int32] = []
    var prev: [Int32] = []
    var alive: [Bool] = []
    var heap = MinHeap<UInt64>()
    var spmHeap = MinHeap<SentencePieceBigram>()
    var text: [UInt8] = []
}
