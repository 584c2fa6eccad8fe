import Foundation
import TapirCore

/// The fields of a JSON chat completion the client reads, decoded straight from the body's
/// bytes (no `JSONSerialization` object tree). `ChatReplyDecoder` uses it when the body has
/// the usual shape and falls back to its general parser, which names what is wrong,
/// otherwise.
struct CompletionBody: Decodable {
    var hasError: Bool
    var choices: [Choice]?
    var usage: Usage?
    var model: String?

    struct Choice: Decodable {
        var message: Message?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message, finishReason = "finish_reason"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = try container.decodeIfPresent(Message.self, forKey: .message)
            finishReason = try? container.decodeIfPresent(String.self, forKey: .finishReason)
        }
    }

    struct Message: Decodable {
        /// `nil` when the field is missing or not a string or null (the general parser says why).
        var content: Content?
        var reasoningContent: String?

        enum Content {
            case text(String)
            case null
        }

        enum CodingKeys: String, CodingKey {
            case content, reasoningContent = "reasoning_content"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if !container.contains(.content) {
                content = nil
            } else if try container.decodeNil(forKey: .content) {
                content = .null
            } else {
                content = (try? container.decode(String.self, forKey: .content)).map(Content.text)
            }
            reasoningContent = try? container.decodeIfPresent(String.self, forKey: .reasoningContent)
        }
    }

    struct Usage: Decodable {
        var promptTokens: Double?
        var completionTokens: Double?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            promptTokens = try? container.decodeIfPresent(Double.self, forKey: .promptTokens)
            completionTokens = try? container.decodeIfPresent(Double.self, forKey: .completionTokens)
        }
    }

    enum CodingKeys: String, CodingKey {
        case error, choices, usage, model
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hasError = container.contains(.error)
        choices = try container.decodeIfPresent([Choice].self, forKey: .choices)
        usage = try? container.decodeIfPresent(Usage.self, forKey: .usage)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
    }

    /// The reply, or `nil` when the body is not a plain successful completion (an error
    /// object, missing choices or message, content neither text nor null, usage token
    /// counts that are not finite whole-number-sized values).
    var reply: ChatReplyDecoder.Reply? {
        guard !hasError, let first = choices?.first, let message = first.message, let content = message.content else {
            return nil
        }
        let text: String
        switch content {
        case let .text(value): text = value
        case .null: text = message.reasoningContent ?? ""
        }
        var tokens: TokenUsage?
        if let usage, let prompt = usage.promptTokens {
            // Whole counts, truncated as the general parser does; anything else goes there.
            guard let p = Int(exactly: prompt.rounded(.towardZero)),
                  let c = Int(exactly: (usage.completionTokens ?? 0).rounded(.towardZero)) else { return nil }
            tokens = TokenUsage(promptTokens: p, completionTokens: c)
        }
        return ChatReplyDecoder.Reply(
            text: text, finishReason: ChatReplyDecoder.finishReason(first.finishReason), usage: tokens, model: model)
    }
}
