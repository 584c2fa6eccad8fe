import Foundation

/// Locates the real SmolLM2 GGUF for integration tests.
enum TestModel {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The model path, or nil when it has not been fetched (`make setup` fetches it).
    static var path: String? {
        var candidates: [String] = []
        if let p = ProcessInfo.processInfo.environment["TAPIR_TEST_MODEL"] { candidates.append(p) }
        let home = ProcessInfo.processInfo.environment["TAPIR_HOME"]
            ?? (NSHomeDirectory() + "/.cache/tapir")
        candidates.append(home + "/" + fileName)
        candidates.append(home + "/models/" + fileName)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    static var missingMessage: String {
        "SmolLM2 model not found (run `make setup` or set TAPIR_TEST_MODEL); skipping real-model test"
    }

    /// Directory of the committed test fixtures.
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
    }
}
