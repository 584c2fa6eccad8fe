import CursesBackend
import Foundation
import TapirEngine
import TapirStore

/// `tapir run` on a terminal: engine events scroll as lines above a block of progress bars
/// (`ProgressRenderer`) that is redrawn in place with plain ANSI cursor movement — cursor up,
/// erase line, erase below — several times a second.
final class LiveProgressView: RunReporter, @unchecked Sendable {
    private let events: EventPrinter
    private let source: RunProgressSource
    private let color: Bool
    private let lock = NSLock()
    /// Lines of the bar block currently on screen, below which the cursor rests.
    private var drawnLines = 0

    init(store: WorkspaceStore, plannedRounds: Int, color: Bool) {
        events = EventPrinter(store: store)
        source = RunProgressSource(store: store, plannedRounds: plannedRounds)
        self.color = color
    }

    func follow() async {
        while !Task.isCancelled {
            finish()
            try? await Task.sleep(nanoseconds: 250_000_000)
        }
    }

    /// Draws one frame: new events scrolled in above, then the bars.
    func finish() {
        let width = TerminalWindowSize.of(fd: STDOUT_FILENO)?.columns ?? 80
        let renderer = ProgressRenderer(width: width - 1, color: color)
        let newEvents = events.newEvents()
        guard let input = try? source.read() else { return }
        lock.lock()
        defer { lock.unlock() }
        let frame = Self.frame(previousLines: drawnLines, events: newEvents.map(EventPrinter.format),
                               bars: renderer.lines(input))
        drawnLines = frame.lines
        FileHandle.standardOutput.write(Data(frame.text.utf8))
    }

    /// The bytes of one redraw: back up over the previous block, erase it, print the event
    /// lines, then the new block; each line ends with a newline so the cursor rests below.
    static func frame(previousLines: Int, events: [String], bars: [String]) -> (text: String, lines: Int) {
        var text = previousLines > 0 ? "\r\u{1B}[\(previousLines)A\u{1B}[J" : ""
        for line in events { text += line + "\n" }
        for line in bars { text += "\u{1B}[2K" + line + "\n" }
        return (text, bars.count)
    }
}
