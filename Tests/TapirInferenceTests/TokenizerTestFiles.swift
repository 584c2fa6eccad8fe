import Foundation
@testable import TapirInference

/// Where the tokenizer tests find their files.
enum TokenizerTestFiles {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/reference")

    static var tapirHome: String {
        ProcessInfo.processInfo.environment["TAPIR_HOME"] ?? (NSHomeDirectory() + "/.cache/tapir")
    }

    /// The default SmolLM2 model (`make setup` / scripts/fetch-model.sh), when present.
    static var smolLM2: String? {
        let path = ProcessInfo.processInfo.environment["TAPIR_MODEL"] ?? tapirHome + "/SmolLM2-135M-Instruct.Q4_1.gguf"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// A llama.cpp vocab-only GGUF (scripts/reference/fetch-vocabs.sh), when present.
    static func vocab(_ file: String) -> String? {
        let path = tapirHome + "/vocab/" + file
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static var hasVocabs: Bool { vocab("ggml-vocab-llama-spm.gguf") != nil }

    static func json(_ name: String) throws -> Any {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try JSONSerialization.jsonObject(with: data)
    }

    /// Loads a tokenizer once per file for the whole test run.
    static func tokenizer(path: String) throws -> Tokenizer {
        try TokenizerCache.shared.tokenizer(path: path)
    }
}

final class TokenizerCache: @unchecked Sendable {
    static let shared = TokenizerCache()
    private let lock = NSLock()
    private var cache: [String: Tokenizer] = [:]

    func tokenizer(path: String) throws -> Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let t = cache[path] { return t }
        let t = try Tokenizer(metadata: GGUFFile(path: path).metadata)
        cache[path] = t
        return t
    }
}
