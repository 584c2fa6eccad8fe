/// A problem in a theme file, with the line it is on and what to change.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or theme name) that failed.
    public var source: String
    /// 1-based line number, or 0 when the problem concerns the whole file.
    public var line: Int
    /// What is wrong and how to fix it.
    public var reason: String

    public init(source: String, line: Int, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String {
        line > 0 ? "\(source):\(line): \(reason)" : "\(source): \(reason)"
    }
}
