import TerminalUI

extension CursesTerminal {
    /// Runs the UI loop on the calling thread until `handle` returns false or `.terminate`
    /// arrives: renders a frame, waits for an event, lets the app handle it, renders again.
    /// - Parameters:
    ///   - tickMilliseconds: how often a `.tick` is delivered when nothing else happens.
    ///   - handle: applies an event; return false to quit.
    ///   - render: draws the whole screen for the given size.
    public func run(tickMilliseconds: Int32 = 1000,
                    handle: (InputEvent) -> Bool,
                    render: (_ width: Int, _ height: Int) -> CellBuffer) {
        present(render(width, height))
        while true {
            let event = nextEvent(timeoutMilliseconds: tickMilliseconds)
            let keepGoing = handle(event)
            if !keepGoing || event == .terminate { break }
            present(render(width, height))
        }
    }
}
