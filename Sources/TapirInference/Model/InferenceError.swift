/// Errors from loading or running a native model.
public enum InferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `general.architecture` names an architecture tapir does not implement.
    case unsupportedArchitecture(String)
    /// A tensor uses a type tapir cannot multiply.
    case unsupportedTensorType(tensor: String, type: String)
    /// The sequence would exceed the model's context length.
    case contextOverflow(tokens: Int, limit: Int)
    /// A token id outside the vocabulary.
    case invalidToken(Int32, vocabularySize: Int)
    /// The prompt produced no tokens.
    case emptyPrompt
    /// The model or its scheduler was shut down.
    case closed
    /// One forward batch named the same sequence twice.
    case duplicateSequence

    public var description: String {
        switch self {
        case .unsupportedArchitecture(let a):
            "model architecture '\(a)' is not supported (supported: llama, qwen2)"
        case .unsupportedTensorType(let t, let type):
            "tensor '\(t)' has type \(type), which tapir cannot run (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q6_K)"
        case .contextOverflow(let n, let limit):
            "sequence of \(n) tokens exceeds the context length \(limit); shorten the prompt or max tokens"
        case .invalidToken(let t, let v): "token id \(t) is outside the vocabulary (size \(v))"
        case .emptyPrompt: "the prompt is empty after tokenisation"
        case .closed: "the model has been shut down"
        case .duplicateSequence: "a forward batch holds the same sequence twice"
        }
    }
}
