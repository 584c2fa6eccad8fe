import TapirCore

/// Turns chat messages into the prompt text a model was trained on.
///
/// Three families are rendered natively (no template engine): ChatML (SmolLM2, Qwen2 …),
/// Llama 2 (`[INST] <<SYS>> …`) and Llama 3 (`<|start_header_id|> …`). The family is chosen
/// from the file's `tokenizer.chat_template`, or from its vocabulary when that is absent.
/// The rendered text never starts with BOS: the tokenizer adds it (`encode(_:addSpecial: true)`),
/// and it must be encoded with special-token parsing on.
public struct ChatTemplate: Sendable, Hashable {
    public enum Family: String, Sendable, Hashable, CaseIterable {
        case chatML = "chatml"
        case llama2
        case llama3
    }

    public let family: Family
    /// ChatML: the system prompt the template puts first when the messages have none
    /// (SmolLM2: "You are a helpful AI assistant named SmolLM, trained by Hugging Face").
    public let defaultSystemPrompt: String?

    public init(family: Family, defaultSystemPrompt: String? = nil) {
        self.family = family
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// Picks the family from `tokenizer.chat_template`; without one, from the vocabulary
    /// (`<|eot_id|>` → Llama 3, a SentencePiece `llama` tokenizer → Llama 2); ChatML otherwise.
    public init(metadata: [String: GGUFValue]) {
        if let template = metadata["tokenizer.chat_template"]?.stringValue {
            if template.contains("<|start_header_id|>") {
                self.init(family: .llama3)
            } else if template.contains("<|im_start|>") {
                self.init(family: .chatML, defaultSystemPrompt: Self.defaultChatMLSystemPrompt(in: template))
            } else if template.contains("[INST]") {
                self.init(family: .llama2)
            } else {
                self.init(family: .chatML)
            }
            return
        }
        let tokens = metadata["tokenizer.ggml.tokens"]?.arrayValue ?? []
        if tokens.contains(.string("<|start_header_id|>")) {
            self.init(family: .llama3)
        } else if tokens.contains(.string("<|im_start|>")) {
            self.init(family: .chatML)
        } else if metadata["tokenizer.ggml.model"]?.stringValue == "llama" {
            self.init(family: .llama2)
        } else {
            self.init(family: .chatML)
        }
    }

    /// Text that marks the end of an assistant turn, for stopping generation on text.
    public var stopStrings: [String] {
        switch family {
        case .chatML: ["<|im_end|>", "<|im_start|>"]
        case .llama2: ["</s>", "[INST]"]
        case .llama3: ["<|eot_id|>", "<|start_header_id|>"]
        }
    }

    /// The prompt for `messages`, ending with the assistant header when `addGenerationPrompt`
    /// (Llama 2 has none: a prompt ending in a user turn is ready for the reply as is).
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        switch family {
        case .chatML: renderChatML(messages, addGenerationPrompt)
        case .llama2: renderLlama2(messages)
        case .llama3: renderLlama3(messages, addGenerationPrompt)
        }
    }

    /// `render` with an optional system prompt put before `messages` (replacing theirs, if any).
    public func render(_ messages: [ChatMessage], system: String?, addGenerationPrompt: Bool) -> String {
        guard let system else { return render(messages, addGenerationPrompt: addGenerationPrompt) }
        let rest = messages.first?.role == .system ? Array(messages.dropFirst()) : messages
        return render([.system(system)] + rest, addGenerationPrompt: addGenerationPrompt)
    }

    // MARK: - Families

    private func renderChatML(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) -> String {
        var out = ""
        if let defaultSystemPrompt, let first = messages.first, first.role != .system {
            out += "<|im_start|>system\n\(defaultSystemPrompt)<|im_end|>\n"
        }
        for message in messages {
            out += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        return out
    }

    private func renderLlama2(_ messages: [ChatMessage]) -> String {
        var system: String?
        var turns = messages[...]
        if let first = messages.first, first.role == .system {
            system = first.content
            turns = messages.dropFirst()
        }
        var out = ""
        for (index, message) in turns.enumerated() {
            var content = message.content
            if index == 0, let system { content = "<<SYS>>\n\(system)\n<</SYS>>\n\n" + content }
            switch message.role {
            case .user:
                out += (out.isEmpty ? "" : "<s>") + "[INST] " + Self.trimmed(content) + " [/INST]"
            case .assistant:
                out += " " + Self.trimmed(content) + " </s>"
            case .system:
                break
            }
        }
        return out
    }

    private func renderLlama3(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) -> String {
        var out = ""
        for message in messages {
            out += "<|start_header_id|>\(message.role.rawValue)<|end_header_id|>\n\n" + Self.trimmed(message.content) + "<|eot_id|>"
        }
        if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
        return out
    }

    // MARK: - Helpers

    /// Leading and trailing whitespace removed (like Python's `str.strip()`).
    static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    /// The literal system prompt a ChatML template inserts when the conversation has none.
    static func defaultChatMLSystemPrompt(in template: String) -> String? {
        let marker = "<|im_start|>system"
        var searchStart = template.startIndex
        while let open = template[searchStart...].firstRange(of: marker) {
            var rest = template[open.upperBound...]
            if rest.hasPrefix("\\n") { rest = rest.dropFirst(2) } else if rest.hasPrefix("\n") { rest = rest.dropFirst() } else {
                searchStart = open.upperBound; continue
            }
            if let close = rest.firstRange(of: "<|im_end|>") {
                let literal = rest[..<close.lowerBound]
                if !literal.isEmpty, !literal.contains(where: { "'\"{}+".contains($0) }) {
                    return String(literal).replacing("\\n", with: "\n")
                }
            }
            searchStart = open.upperBound
        }
        return nil
    }
}
