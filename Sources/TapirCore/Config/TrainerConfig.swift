import Foundation

/// The `trainer:` section: the external command that fine-tunes the student each round.
public struct TrainerConfig: Sendable, Hashable {
    /// Shell command with placeholders `{data}` (training file), `{data_dir}` (export
    /// folder with `dataset_info.json`), `{round}`, `{base}` (current student checkpoint),
    /// `{output}` (checkpoint folder to write) and `{workspace}`. `nil`: no training; the
    /// round still completes and says so.
    public var command: String?
    /// The model the next round's student loads, with the same placeholders (for example
    /// `{output}/model.gguf`); `nil` keeps the current student.
    public var studentAfter: String?
    /// Folder the command runs in (`nil`: the workspace).
    public var workingDir: String?
    /// Extra environment variables for the command.
    public var env: [String: String]

    public init(command: String? = nil, studentAfter: String? = nil, workingDir: String? = nil, env: [String: String] = [:]) {
        self.command = command
        self.studentAfter = studentAfter
        self.workingDir = workingDir
        self.env = env
    }

    public static let defaults = TrainerConfig()

    /// The placeholders a command may use.
    public static let placeholders = ["data", "data_dir", "round", "base", "output", "workspace"]

    /// `template` with every `{name}` placeholder in `values` replaced.
    public static func expand(_ template: String, with values: [String: String]) -> String {
        var result = template
        for (name, value) in values {
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}
