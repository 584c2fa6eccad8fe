/// The prompts tapir sends. The raw value is the override file's base name in the
/// workspace's `prompts/` folder (`prompts/judge.txt` …).
public enum PromptTemplateName: String, Sendable, Hashable, CaseIterable, Codable {
    /// Pairwise judging of teacher vs student (both orders are separate renders).
    case judge
    /// Pairwise comparison of the student's answer with the reference on the eval split.
    case evaluate
    /// Zero-shot task classification, reply `<answer>Category</answer>`.
    case classify
    /// Few-shot expansion: one new instruction of a category, reply `<instruction>…</instruction>`.
    case expand
    /// Refinement for Math and Reasoning: step-by-step, then a final answer.
    case refineReasoning = "refine-reasoning"
    /// Refinement for Code Generation and Code Debug: commented code plus explanation.
    case refineCode = "refine-code"
    /// Refinement for every other category: more complete and better structured.
    case refineGeneral = "refine-general"

    /// The refinement style for a task category.
    public static func refine(forCategory category: String) -> PromptTemplateName {
        switch category.trimmingCharacters(in: .whitespaces).lowercased() {
        case "math", "reasoning": .refineReasoning
        case "code generation", "code debug": .refineCode
        default: .refineGeneral
        }
    }

    /// The placeholders this template takes. Data placeholders carry untrusted text and are
    /// always rendered inside delimiters, whatever an override file says.
    public var placeholders: [PromptPlaceholder] {
        switch self {
        case .judge, .evaluate:
            [.data("instruction", label: "QUESTION"), .data("answer_1", label: "ANSWER_1"), .data("answer_2", label: "ANSWER_2")]
        case .classify:
            [.text("categories"), .data("instruction", label: "INSTRUCTION")]
        case .expand:
            [.text("category"), .dataList("examples", label: "EXAMPLE")]
        case .refineReasoning, .refineCode, .refineGeneral:
            [.text("category"), .data("instruction", label: "TASK"), .data("response", label: "ANSWER")]
        }
    }
}

import Foundation
