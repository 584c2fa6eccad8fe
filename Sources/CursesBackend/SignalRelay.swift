import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// State read by signal handlers. Written only by the UI thread before handlers are installed
// or while they are blocked; handlers only read it.
nonisolated(unsafe) private var relayWriteFD: Int32 = -1
nonisolated(unsafe) private var cursesIsActive: Int32 = 0
nonisolated(unsafe) private var atexitInstalled = false

/// Signals that are turned into events: their numbers are written to a self-pipe that the
/// UI thread polls, so all real work happens outside the handler.
let relayedSignals: [Int32] = [SIGWINCH, SIGTSTP, SIGINT, SIGTERM, SIGHUP, SIGCONT]
/// Signals after which the process dies: the terminal is restored first, then the signal re-raised.
let fatalSignals: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE, SIGTRAP]

private func relayHandler(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    let saved = errno
    _ = write(relayWriteFD, &byte, 1)
    errno = saved
}

private func fatalHandler(_ sig: Int32) {
    if cursesIsActive != 0 {
        cursesIsActive = 0
        endwin()
    }
    signal(sig, SIG_DFL)
    raise(sig)
}

private func restoreAtExit() {
    if cursesIsActive != 0 {
        cursesIsActive = 0
        endwin()
    }
}

/// Installs and removes the process-wide signal handlers for one curses session.
enum SignalRelay {
    static func install(writeFD: Int32) {
        relayWriteFD = writeFD
        for s in relayedSignals { signal(s, relayHandler) }
        for s in fatalSignals { signal(s, fatalHandler) }
        if !atexitInstalled {
            atexitInstalled = true
            atexit(restoreAtExit)
        }
    }

    static func uninstall() {
        for s in relayedSignals + fatalSignals { signal(s, SIG_DFL) }
        relayWriteFD = -1
    }

    /// Marks curses as active/inactive for the fatal-signal and atexit handlers.
    static func setActive(_ active: Bool) { cursesIsActive = active ? 1 : 0 }

    /// Re-installs the relay handler for one signal (after a default-action raise).
    static func reinstall(_ s: Int32) { signal(s, relayHandler) }
}
