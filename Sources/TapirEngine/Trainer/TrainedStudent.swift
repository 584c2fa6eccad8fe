import Foundation

/// Where the student produced by a trainer run lives, from `trainer.student_after`.
public enum TrainedStudent: Sendable, Hashable {
    /// A GGUF file for the native model (it exists when the run finished).
    case gguf(path: String)
    /// An OpenAI-compatible endpoint serving the new student (`openai:BASE_URL#MODEL`).
    case endpoint(baseURL: String, model: String)

    /// Parses an expanded `student_after`: `openai:BASE_URL#MODEL` or a file path (relative
    /// paths are taken from `relativeTo`, `~` is expanded).
    public static func parse(_ spec: String, relativeTo folder: URL) throws(TrainerError) -> TrainedStudent {
        let trimmed = spec.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("openai:") {
            let rest = trimmed.dropFirst("openai:".count)
            guard let hash = rest.lastIndex(of: "#") else { throw .invalidStudentSpec(spec) }
            let base = String(rest[..<hash]), model = String(rest[rest.index(after: hash)...])
            guard !model.isEmpty, base.hasPrefix("http://") || base.hasPrefix("https://") else {
                throw .invalidStudentSpec(spec)
            }
            return .endpoint(baseURL: base, model: model)
        }
        guard !trimmed.isEmpty else { throw .invalidStudentSpec(spec) }
        let expanded = (trimmed as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : folder.appendingPathComponent(expanded)
        return .gguf(path: url.standardizedFileURL.path)
    }

    /// The text form stored with the trainer run.
    public var spec: String {
        switch self {
        case let .gguf(path): path
        case let .endpoint(baseURL, model): "openai:\(baseURL)#\(model)"
        }
    }
}
