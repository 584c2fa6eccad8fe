/// Record layouts `tapir import` understands.
public enum DatasetFormat: String, Codable, Sendable, Hashable, CaseIterable {
    /// Decide per record from its keys.
    case auto
    /// `{instruction, input, output}`.
    case alpaca
    /// `{conversations: [{from, value}]}`.
    case sharegpt
    /// `{messages: [{role, content}]}` (OpenAI chat).
    case messages
}
