import Foundation
import Testing
import TapirCore
import TapirLLM
import TapirStore
import TapirTestSupport
@testable import TapirEngine

/// A real workspace in a temp folder, with an OpenAI-compatible loopback server playing
/// the remote roles through `OpenAIClient` wrapped in `CachingChatModel` over the store.
final class EngineFixture: @unchecked Sendable {
    let folder: URL
    let workspace: Workspace
    let store: WorkspaceStore
    var config: TapirConfig
    let server: LoopbackHTTPServer?

    init(reply: (@Sendable ([ReceivedMessage]) -> String)? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapir-engB-\(UUID().uuidString)")
        workspace = try Workspace.create(at: folder)
        store = try workspace.openStore()
        config = try workspace.loadConfig()
        server = try reply.map { try LoopbackHTTPServer.openAICompatible(reply: $0) }
    }

    deinit {
        server?.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A cached client for `role` on the loopback server.
    func model(_ role: ModelRole) throws -> any ChatModel {
        let server = try #require(server)
        let roleConfig = RoleConfig(provider: .openai, baseURL: server.baseURL, model: "\(role.rawValue)-model",
                                    maxConcurrency: 4, maxAttempts: 1, timeoutSeconds: 10)
        let client = try OpenAIClient(role: role, config: roleConfig, environment: [:])
        return CachingChatModel(base: client, store: store)
    }

    func context(models: EngineModels = EngineModels(), concurrency: Int = 1) -> EngineContext {
        EngineContext(workspace: workspace, store: store, config: config, models: models, prompts: PromptLibrary(),
                      concurrency: concurrency)
    }

    /// Inserts a train (or eval) instruction and returns its id.
    @discardableResult
    func instruction(_ text: String, category: String?, split: DataSplit = .train) throws -> Int64 {
        try store.write { writer in
            let record = InstructionRecord(text: text, source: .dataset, category: category,
                                           categorySource: category == nil ? nil : .dataset, split: split)
            return try #require(try writer.insertInstruction(record)?.id)
        }
    }

    @discardableResult
    func response(_ id: Int64, _ role: ResponseRole, round: Int, _ text: String) throws -> Int64 {
        try store.write { writer in
            try #require(try writer.saveResponse(
                ResponseRecord(instructionID: id, role: role, round: round, model: "fixture", text: text)).id)
        }
    }

    /// Synchronous store access for async tests (the async overloads would be picked there).
    func read<T>(_ body: (StoreReader) throws -> T) throws -> T { try store.read(body) }
    func write<T>(_ body: (StoreWriter) throws -> T) throws -> T { try store.write(body) }

    func round(_ number: Int, alpha: Double = 0.5, delta: Double = 1) throws {
        try store.write { try $0.saveRound(RoundRecord(number: number, alpha: alpha, delta: delta)) }
    }

    func events(containing text: String) throws -> [EventRecord] {
        try store.read { try $0.events(limit: 10_000) }.filter { $0.message.contains(text) }
    }
}

/// The text of the `<<<LABEL` … `>>>` block in a prompt, or nil.
func block(_ label: String, in text: String) -> String? {
    guard let start = text.range(of: "<<<\(label)\n") else { return nil }
    guard let end = text.range(of: "\n>>>", range: start.upperBound..<text.endIndex) else { return nil }
    return String(text[start.upperBound..<end.lowerBound])
}

/// The last user message of a request.
func userText(_ messages: [ReceivedMessage]) -> String {
    messages.last { $0.role == "user" }?.content ?? ""
}

/// A lock-protected counter for scripted servers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
