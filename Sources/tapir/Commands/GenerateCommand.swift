import ArgumentParser
import Foundation
import TapirCore
import TapirInference

/// `tapir generate`: streams a reply from a native GGUF model.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate a reply with a native GGUF model, streaming it to stdout.")

    @Option(help: "Path of the GGUF model file.") var model: String
    @Option(help: "System prompt.") var system: String?
    @Option(help: "Most tokens to generate.") var maxTokens = 256
    @Option(help: "Sampling temperature (0 = greedy).") var temperature = 0.0
    @Option(help: "Random seed for sampling.") var seed: UInt64 = 0
    @Option(help: "Matrix-multiplication threads.") var threads = 2
    @Flag(help: "Send the prompt as is, without the chat template.") var raw = false
    @Argument(help: "The prompt.") var prompt: String

    func run() async throws {
        let local = try LocalModel(path: model, threads: threads, maxBatch: 1)
        var messages: [ChatMessage] = []
        if let system { messages.append(ChatMessage(role: .system, content: system)) }
        messages.append(ChatMessage(role: .user, content: prompt))
        let request = ChatRequest(
            messages: messages, sampling: SamplingParameters(temperature: temperature, maxTokens: maxTokens, seed: seed))
        if ProcessInfo.processInfo.environment["TAPIR_SHOW_TOKENS"] != nil {
            FileHandle.standardError.write(Data("prompt tokens: \(local.promptTokens(for: messages, raw: raw))\n".utf8))
        }
        let (_, summary) = try await local.generate(request, raw: raw) { piece in
            FileHandle.standardOutput.write(Data(piece.utf8))
        }
        let pre = summary.prefillSeconds > 0 ? Double(summary.promptTokens) / summary.prefillSeconds : 0
        let decoded = max(0, summary.generatedTokens.count - 1)
        let dec = summary.decodeSeconds > 0 ? Double(decoded) / summary.decodeSeconds : 0
        print("")
        print(String(
            format: "[prefill %d tokens %.1f tok/s, decode %d tokens %.1f tok/s]",
            summary.promptTokens, pre, summary.generatedTokens.count, dec))
    }
}
