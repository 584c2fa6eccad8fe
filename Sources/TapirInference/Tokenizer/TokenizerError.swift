/// Why a tokenizer could not be built from GGUF metadata.
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required metadata key is absent.
    case missingKey(String)
    /// A metadata key holds a value of the wrong type or shape.
    case invalidValue(key: String, reason: String)
    /// `tokenizer.ggml.model` names a tokenizer family this build does not implement.
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this build does not implement.
    case unsupportedPreTokenizer(String)

    public var description: String {
        switch self {
        case .missingKey(let key):
            "GGUF metadata has no '\(key)': the file has no usable tokenizer (re-convert it with a current llama.cpp converter)"
        case .invalidValue(let key, let reason):
            "GGUF metadata '\(key)' is invalid: \(reason)"
        case .unsupportedModel(let name):
            "tokenizer.ggml.model '\(name)' is not supported (supported: gpt2 byte-level BPE, llama SentencePiece)"
        case .unsupportedPreTokenizer(let name):
            "tokenizer.ggml.pre '\(name)' is not supported (supported: \(PreTokenizer.supportedNames.joined(separator: ", ")))"
        }
    }
}
