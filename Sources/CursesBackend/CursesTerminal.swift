import CNcursesw
import Foundation
import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// The one object that talks to ncurses. Create it, use it and close it on a single thread
/// (the UI thread); other threads reach that thread only through `waker`.
public final class CursesTerminal {
    /// Session settings.
    public struct Options: Sendable {
        /// Force a colour depth instead of detecting it (`NO_COLOR`, `COLORS`).
        public var colorDepth: ColorDepth?
        /// Report mouse clicks and wheel movement (opt-in).
        public var mouse: Bool
        /// While curses is active, stderr goes here (appended), or to /dev/null when nil,
        /// so stray log lines never corrupt the screen.
        public var stderrPath: String?
        /// Environment used for `NO_COLOR` detection.
        public var environment: [String: String]

        public init(colorDepth: ColorDepth? = nil, mouse: Bool = false, stderrPath: String? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.colorDepth = colorDepth
            self.mouse = mouse
            self.stderrPath = stderrPath
            self.environment = environment
        }
    }

    /// Current size in cells.
    public private(set) var width: Int
    public private(set) var height: Int
    /// The colours this session renders with.
    public let colorDepth: ColorDepth
    /// Wakes this terminal's UI thread from any thread (`nextEvent` then returns `.wake`).
    public let waker: Waker

    private let screen: OpaquePointer
    private let inputFD: Int32
    private let outputFD: Int32
    private let signals: Waker
    private let usesSignals: Bool
    private var previous: CellBuffer?
    private var pairs: ColorPairTable
    private var pendingEvents: [InputEvent] = []
    private var savedStderr: Int32 = -1
    private var closed = false

    /// Takes over the controlling terminal (stdin/stdout).
    /// - Throws: `CursesError.notATerminal` when stdin or stdout is not a tty,
    ///   `.terminalSetupFailed` when `TERM` is unusable.
    public convenience init(options: Options = Options()) throws(CursesError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw CursesError.notATerminal }
        try self.init(options: options, output: tapir_stdout(), input: tapir_stdin(),
                      inputFD: STDIN_FILENO, outputFD: STDOUT_FILENO, term: nil, installSignals: true)
    }

    /// Designated initialiser; tests use it with files instead of a tty.
    init(options: Options, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>,
         inputFD: Int32, outputFD: Int32, term: String?, installSignals: Bool) throws(CursesError) {
        Self.ensureUTF8Locale()
        self.inputFD = inputFD
        self.outputFD = outputFD
        waker = try Waker()
        signals = try Waker()
        usesSignals = installSignals
        // Our handlers go in before newterm so ncurses does not install its own.
        if installSignals { SignalRelay.install(writeFD: signals.writeFD) }
        let termName = term ?? options.environment["TERM"] ?? "unknown"
        guard let s = (term.map { t in t.withCString { newterm($0, output, input) } } ?? newterm(nil, output, input)) else {
            if installSignals { SignalRelay.uninstall() }
            throw CursesError.terminalSetupFailed(term: termName)
        }
        screen = s
        set_term(s)
        SignalRelay.setActive(true)
        cbreak()
        noecho()
        nonl()
        keypad(tapir_stdscr(), true)
        nodelay(tapir_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        var depth = ColorDepth.none
        if has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth.detect(terminalColors: Int(tapir_colors()), environment: options.environment)
        }
        colorDepth = options.colorDepth.map { min($0, depth) } ?? depth
        pairs = ColorPairTable(depth: colorDepth, maxPairs: Int(tapir_color_pairs()))
        if options.mouse {
            mousemask(tapir_mouse_events(), nil)
            mouseinterval(0)
        }
        width = Int(tapir_cols())
        height = Int(tapir_lines())
        if installSignals { redirectStderr(to: options.stderrPath) }
    }

    deinit { close() }

    /// Restores the terminal. Safe to call more than once; also runs on deinit.
    public func close() {
        guard !closed else { return }
        closed = true
        endwin()
        SignalRelay.setActive(false)
        delscreen(screen)
        if usesSignals { SignalRelay.uninstall() }
        restoreStderr()
    }

    // MARK: - Events

    /// Waits for the next event: a key or mouse event, a resize, `.wake` when another thread
    /// called `waker.wake()`, `.terminate` on SIGTERM/SIGHUP, or `.tick` after
    /// `timeoutMilliseconds` (-1 waits forever). Ctrl-Z suspends and resumes inside this call.
    public func nextEvent(timeoutMilliseconds: Int32) -> InputEvent {
        while true {
            if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
            var fds = [
                pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: signals.readFD, events: Int16(POLLIN), revents: 0),
            ]
            let n = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
            if n < 0 {
                if errno == EINTR { continue }
                return .tick
            }
            if n == 0 { return .tick }
            if fds[2].revents != 0 { handleSignals() }
            if fds[1].revents != 0, waker.drain() { pendingEvents.append(.wake) }
            if fds[0].revents & Int16(POLLIN | POLLHUP) != 0 { readInput() }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 && pendingEvents.isEmpty {
                pendingEvents.append(.terminate)  // the terminal went away
            }
        }
    }

    private func readInput() {
        var ch: wint_t = 0
        // Bounded so a terminal that floods input cannot starve drawing.
        for _ in 0..<4096 {
            let r = tapir_get_wch(&ch)
            if r == tapir_err() { break }
            if r == tapir_key_code_yes() {
                let code = Int32(ch)
                if code == tapir_key_resize() {
                    // ncurses has already resized itself; just report the new size.
                    updateSize(resizeCurses: false)
                } else if code == tapir_key_mouse() {
                    if let m = readMouse() { pendingEvents.append(.mouse(m)) }
                } else if let key = KeyDecoder.decode(keyCode: code) {
                    pendingEvents.append(.key(key))
                }
            } else if let key = KeyDecoder.decode(character: UInt32(ch)) {
                pendingEvents.append(.key(key))
            }
        }
    }

    private func readMouse() -> MouseEvent? {
        var ev = MEVENT()
        guard getmouse(&ev) != tapir_err() else { return nil }
        let state = ev.bstate
        let kind: MouseEvent.Kind
        if tapir_mouse_wheel_up(state) != 0 { kind = .wheelUp }
        else if tapir_mouse_wheel_down(state) != 0 { kind = .wheelDown }
        else if tapir_mouse_button1_pressed(state) != 0 { kind = .press(button: 1) }
        else if tapir_mouse_button3_pressed(state) != 0 { kind = .press(button: 3) }
        else if tapir_mouse_button1_released(state) != 0 { kind = .release }
        else { return nil }
        return MouseEvent(kind: kind, x: Int(ev.x), y: Int(ev.y))
    }

    private func handleSignals() {
        var buffer = [UInt8](repeating: 0, count: 32)
        while true {
            let n = read(signals.readFD, &buffer, buffer.count)
            guard n > 0 else { break }
            for byte in buffer[0..<n] {
                switch Int32(byte) {
                case SIGWINCH: updateSize(resizeCurses: true)
                case SIGTSTP: suspend()
                case SIGINT: pendingEvents.append(.key(.ctrl("c")))
                case SIGTERM, SIGHUP: pendingEvents.append(.terminate)
                default: break
                }
            }
        }
    }

    /// Takes the new size (from the tty when `resizeCurses`, else from ncurses, which
    /// already resized itself), forces a full repaint and queues one `.resize` event.
    private func updateSize(resizeCurses: Bool) {
        if resizeCurses {
            var rows: Int32 = 0, cols: Int32 = 0
            if tapir_window_size(outputFD, &rows, &cols) == 0, rows != tapir_lines() || cols != tapir_cols() {
                resizeterm(rows, cols)
            }
        }
        width = Int(tapir_cols())
        height = Int(tapir_lines())
        invalidate()
        pendingEvents.removeAll { if case .resize = $0 { true } else { false } }
        pendingEvents.append(.resize(width: width, height: height))
    }

    /// Ctrl-Z: restore the terminal, stop, and on `fg` take it over again and repaint.
    private func suspend() {
        endwin()
        SignalRelay.setActive(false)
        restoreStderr()
        signal(SIGTSTP, SIG_DFL)
        // Process-directed: this (worker) thread may block SIGTSTP, so raise() would not stop us.
        kill(getpid(), SIGTSTP)
        let deferred = waitForContinue()
        SignalRelay.reinstall(SIGTSTP)
        SignalRelay.setActive(true)
        redirectStderr(to: stderrPathInUse)
        refresh()
        updateSize(resizeCurses: true)
        for byte in deferred {
            switch Int32(byte) {
            case SIGINT: pendingEvents.append(.key(.ctrl("c")))
            case SIGTERM, SIGHUP: pendingEvents.append(.terminate)
            default: break
            }
        }
    }

    /// Waits until the SIGCONT relay byte arrives (we were stopped and are running again).
    /// Gives up after half a second without any signal, which means the stop was discarded
    /// (e.g. an orphaned process group). Returns other signals seen meanwhile.
    private func waitForContinue() -> [UInt8] {
        var deferred: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 32)
        while true {
            var pfd = pollfd(fd: signals.readFD, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, 500)
            if r < 0 && errno == EINTR { continue }
            let n = read(signals.readFD, &buffer, buffer.count)
            guard n > 0 else { return deferred }
            for byte in buffer[0..<n] {
                if Int32(byte) == SIGCONT { return deferred }
                if Int32(byte) != SIGTSTP { deferred.append(byte) }
            }
        }
    }

    // MARK: - Drawing

    /// Forgets what is on screen so the next `present` repaints everything.
    public func invalidate() {
        previous = nil
        clearok(tapir_stdscr(), true)
    }

    /// Draws the cells of `buffer` that changed since the last call, then shows the cursor
    /// at `buffer.cursor` (hidden when nil). A buffer of another size repaints fully.
    public func present(_ buffer: CellBuffer) {
        let win = tapir_stdscr()
        for run in buffer.diff(from: previous) {
            for (i, cell) in run.cells.enumerated() where !cell.isContinuation {
                draw(cell, x: run.x + i, y: run.y, in: win)
            }
        }
        previous = buffer
        if let c = buffer.cursor, c.x >= 0, c.y >= 0, c.x < width, c.y < height {
            wmove(win, Int32(c.y), Int32(c.x))
            curs_set(1)
        } else {
            curs_set(0)
        }
        wnoutrefresh(win)
        doupdate()
    }

    private func draw(_ cell: Cell, x: Int, y: Int, in win: UnsafeMutablePointer<WINDOW>?) {
        guard x < width, y < height else { return }
        let pair = pairs.pair(for: cell.style)
        for p in pairs.takePending() {
            init_pair(Int16(p.pair), Int16(p.key.foreground), Int16(p.key.background))
        }
        var attrs = tapir_a_normal()
        let a = cell.style.attributes
        if a.contains(.bold) { attrs |= tapir_a_bold() }
        if a.contains(.dim) { attrs |= tapir_a_dim() }
        if a.contains(.italic) { attrs |= tapir_a_italic() }
        if a.contains(.underline) { attrs |= tapir_a_underline() }
        if a.contains(.reverse) { attrs |= tapir_a_reverse() }
        var chars = Self.cellCharacters(cell.grapheme)
        var r = chars.withUnsafeBufferPointer { tapir_put_cell(win, Int32(y), Int32(x), $0.baseAddress, Int32($0.count), attrs, pair) }
        if r == tapir_err() && !(y == height - 1 && x == width - 1) {
            chars = [wchar_t(0xFFFD)]
            r = chars.withUnsafeBufferPointer { tapir_put_cell(win, Int32(y), Int32(x), $0.baseAddress, 1, attrs, pair) }
        }
        // If the C library thinks a wide glyph is narrow, blank the second column ourselves.
        if cell.width == 2, let first = chars.first, tapir_wcwidth(first) < 2, x + 1 < width {
            var space: [wchar_t] = [0x20]
            _ = space.withUnsafeMutableBufferPointer { tapir_put_cell(win, Int32(y), Int32(x + 1), $0.baseAddress, 1, attrs, pair) }
        }
    }

    /// What goes into one cchar_t: the first scalar and the zero-width scalars after it
    /// (at most 5). A cluster that joins several spacing glyphs (ZWJ emoji) keeps its first
    /// glyph so the layout stays aligned on terminals that draw the parts separately.
    static func cellCharacters(_ grapheme: String) -> [wchar_t] {
        var out: [wchar_t] = []
        for s in grapheme.unicodeScalars {
            if out.isEmpty {
                out.append(wchar_t(bitPattern: s.value))
            } else if DisplayWidth.scalarWidth(s) == 0 && s.value != 0x200D && out.count < 5 {
                out.append(wchar_t(bitPattern: s.value))
            } else {
                break
            }
        }
        return out.isEmpty ? [0x20] : out
    }

    // MARK: - Environment

    private var stderrPathInUse: String?

    private func redirectStderr(to path: String?) {
        guard savedStderr < 0 else { return }
        stderrPathInUse = path
        let target = path ?? "/dev/null"
        let fd = open(target, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        fflush(nil)
        savedStderr = dup(STDERR_FILENO)
        dup2(fd, STDERR_FILENO)
        Glibc.close(fd)
    }

    private func restoreStderr() {
        guard savedStderr >= 0 else { return }
        fflush(nil)
        dup2(savedStderr, STDERR_FILENO)
        Glibc.close(savedStderr)
        savedStderr = -1
    }

    /// ncursesw draws wide characters only under a UTF-8 locale; fall back to C.UTF-8.
    private static func ensureUTF8Locale() {
        setlocale(LC_ALL, "")
        if tapir_locale_is_utf8() == 0 {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }
}
