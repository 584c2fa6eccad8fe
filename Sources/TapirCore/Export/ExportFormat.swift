/// Training-set file formats, each also described in LLaMA-Factory's `dataset_info.json`.
public enum ExportFormat: String, Codable, Sendable, Hashable, CaseIterable {
    /// JSON array of `{instruction, input, output}`.
    case alpaca
    /// JSONL of `{conversations: [{from: human|gpt, value}]}`.
    case sharegpt
    /// JSONL of `{messages: [{role: user|assistant, content}]}` (OpenAI chat format).
    case messages

    /// File name inside the export folder.
    public var fileName: String {
        switch self {
        case .alpaca: "alpaca.json"
        case .sharegpt: "sharegpt.jsonl"
        case .messages: "messages.jsonl"
        }
    }
}
