/// The GGUF `tokenizer.ggml.token_type` of a vocabulary entry.
public enum TokenType: Int32, Sendable, Hashable {
    case undefined = 0
    case normal = 1
    case unknown = 2
    /// Control tokens (`<|im_start|>`, `<s>` …): matched in text only when special tokens are parsed,
    /// and left out of decoded text.
    case control = 3
    /// Added tokens: always matched in text, decoded as their text.
    case userDefined = 4
    case unused = 5
    /// `<0xXX>` byte-fallback tokens of SentencePiece vocabularies.
    case byte = 6
}

/// A token that is matched in raw text before the tokenizer proper runs.
struct SpecialToken: Sendable {
    let bytes: [UInt8]
    let id: Int32
    let type: TokenType
}

/// One BPE merge rule: the rank of a pair and the token the pair becomes.
struct MergeRule: Sendable {
    let rank: Int32
    let merged: Int32
}
