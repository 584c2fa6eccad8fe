import Foundation
import TapirCore
import Testing
@testable import TapirInference

@Suite("ChatTemplate")
struct ChatTemplateTests {
    static let smolLM2Template = """
        {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system
        You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
        ' }}{% endif %}{{'<|im_start|>' + message['role'] + '
        ' + message['content'] + '<|im_end|>' + '
        '}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant
        ' }}{% endif %}
        """

    @Test func chatMLWithTemplateDefaultSystemPrompt() {
        let template = ChatTemplate(metadata: ["tokenizer.chat_template": .string(Self.smolLM2Template)])
        #expect(template.family == .chatML)
        #expect(template.defaultSystemPrompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        #expect(template.render([.user("Hi")], addGenerationPrompt: true) == """
            <|im_start|>system
            You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
            <|im_start|>user
            Hi<|im_end|>
            <|im_start|>assistant

            """)
        #expect(template.render([.user("Hi")], system: "Be brief.", addGenerationPrompt: false) == """
            <|im_start|>system
            Be brief.<|im_end|>
            <|im_start|>user
            Hi<|im_end|>

            """)
        #expect(template.stopStrings.contains("<|im_end|>"))
    }

    @Test func llama2WithSystemPrompt() {
        let template = ChatTemplate(family: .llama2)
        let text = template.render(
            // The system block is joined before the strip, so the user text keeps its leading space.
            [.system("Be kind."), .user(" Hello "), .assistant("Hi there"), .user("Bye")], addGenerationPrompt: true)
        #expect(text == "[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\n Hello [/INST] Hi there </s><s>[INST] Bye [/INST]")
        #expect(template.render([.user("Q")], addGenerationPrompt: true) == "[INST] Q [/INST]")
    }

    @Test func llama3WithSystemPrompt() {
        let template = ChatTemplate(family: .llama3)
        let text = template.render([.user("What is 2+2? ")], system: "Answer with a number.", addGenerationPrompt: true)
        #expect(text == """
            <|start_header_id|>system<|end_header_id|>

            Answer with a number.<|eot_id|><|start_header_id|>user<|end_header_id|>

            What is 2+2?<|eot_id|><|start_header_id|>assistant<|end_header_id|>


            """)
    }

    @Test func familyFromMetadata() {
        #expect(ChatTemplate(metadata: ["tokenizer.chat_template": .string("{{ '<|start_header_id|>' }}")]).family == .llama3)
        #expect(ChatTemplate(metadata: ["tokenizer.chat_template": .string("{{ bos_token + '[INST] ' }}")]).family == .llama2)
        #expect(ChatTemplate(metadata: ["tokenizer.ggml.model": .string("llama")]).family == .llama2)
        #expect(ChatTemplate(metadata: ["tokenizer.ggml.tokens": .array([.string("<|start_header_id|>")])]).family == .llama3)
        #expect(ChatTemplate(metadata: [:]).family == .chatML)
        // A ChatML template that inserts the caller's system message has no default.
        let qwenLike = "{{ '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
        #expect(ChatTemplate(metadata: ["tokenizer.chat_template": .string(qwenLike)]).defaultSystemPrompt == nil)
    }

    /// Renders the conversations of chat-templates.json (jinja2 output of the published templates).
    @Test func matchesReferenceRenderings() throws {
        let root = try #require(try TokenizerTestFiles.json("chat-templates.json") as? [String: Any])
        let families = try #require(root["families"] as? [[String: Any]])
        #expect(families.count == 3)
        var checked = 0
        for family in families {
            let name = try #require(family["family"] as? String)
            let source = try #require(family["template"] as? String)
            let template = ChatTemplate(metadata: ["tokenizer.chat_template": .string(source)])
            #expect(template.family.rawValue == name)
            for c in try #require(family["cases"] as? [[String: Any]]) {
                let messages = try #require(c["messages"] as? [[String: String]]).map {
                    ChatMessage(role: ChatRole(rawValue: $0["role"]!)!, content: $0["content"]!)
                }
                let agp = try #require(c["add_generation_prompt"] as? Bool)
                let expected = try #require(c["expected"] as? String)
                #expect(template.render(messages, addGenerationPrompt: agp) == expected, "\(name) \(messages)")
                checked += 1
            }
        }
        #expect(checked >= 20)
    }
}
