/// Why the terminal could not be set up or used.
public enum CursesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (e.g. piped); run the command in a terminal or use a headless command.
    case notATerminal
    /// ncurses could not initialise the terminal type in `TERM`.
    case terminalSetupFailed(term: String)
    /// A system call failed.
    case system(String, Int32)

    public var description: String {
        switch self {
        case .notATerminal:
            return "stdin/stdout is not a terminal; run tapir in a terminal (or use `tapir run` / `tapir status` headless)"
        case .terminalSetupFailed(let term):
            return "ncurses cannot use terminal type `\(term)`; set TERM to a known type such as xterm-256color"
        case .system(let call, let code):
            return "\(call) failed (errno \(code))"
        }
    }
}
