import CNcursesw

/// The size of the terminal behind a file descriptor (TIOCGWINSZ; no ncurses involved), for
/// line-mode output such as `tapir run`'s progress bars.
public enum TerminalWindowSize {
    /// Columns and rows of the terminal on `fd`, or `nil` when it is not a terminal.
    public static func of(fd: Int32) -> (columns: Int, rows: Int)? {
        var rows: Int32 = 0
        var cols: Int32 = 0
        guard tapir_window_size(fd, &rows, &cols) == 0 else { return nil }
        return (Int(cols), Int(rows))
    }
}
