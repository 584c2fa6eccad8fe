import ArgumentParser
import Foundation
import TapirCore
import TapirInference

/// `tapir score`: teacher-forced likelihood of a response under a prompt.
struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score", abstract: "Score a response under a prompt: mean NLL, perplexity and IFD.")

    @Option(help: "Path of the GGUF model file.") var model: String
    @Option(help: "The prompt (user message).") var prompt: String
    @Option(help: "The response to score.") var response: String
    @Option(help: "Matrix-multiplication threads.") var threads = 2

    func run() async throws {
        let local = try LocalModel(path: model, threads: threads, maxBatch: 1)
        let r = try await local.likelihood(of: response, after: [ChatMessage(role: .user, content: prompt)])
        print("tokens: \(r.tokenCount)")
        print(String(format: "mean NLL: %.4f", r.meanNLL))
        print(String(format: "perplexity: %.4f", r.perplexity))
        print(String(format: "unconditional mean NLL: %.4f", r.unconditionalMeanNLL))
        print(String(format: "IFD: %.4f", r.ifd))
    }
}
