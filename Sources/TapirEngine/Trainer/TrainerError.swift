import Foundation

/// Why the train stage failed. Each case says what to look at.
public enum TrainerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command could not be started (working folder missing, shell not executable …).
    case launchFailed(command: String, reason: String)
    /// The command exited with a non-zero status (or was killed by a signal, reported as
    /// 128 + signal); `lastLines` are the last lines it printed.
    case exited(code: Int32, lastLines: [String], logPath: String)
    /// `trainer.student_after` names a GGUF file the run did not produce.
    case studentMissing(path: String, template: String)
    /// `trainer.student_after` starts with `openai:` but is not `openai:BASE_URL#MODEL`.
    case invalidStudentSpec(String)

    public var description: String {
        switch self {
        case let .launchFailed(command, reason):
            return "trainer: could not start `\(command)`: \(reason) (check trainer.command and trainer.working_dir)"
        case let .exited(code, lastLines, logPath):
            let tail = lastLines.isEmpty ? "(no output)" : lastLines.joined(separator: "\n")
            return "trainer exited with status \(code); full log: \(logPath); last lines:\n\(tail)"
        case let .studentMissing(path, template):
            return "trainer finished but trainer.student_after (\(template)) names \(path), which does not exist"
        case let .invalidStudentSpec(spec):
            return "trainer.student_after `\(spec)` is not a GGUF path or openai:BASE_URL#MODEL"
        }
    }
}
