#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets any thread wake the UI thread: writes one byte to a pipe the UI thread polls.
/// Wakes that arrive while one is pending collapse into one `.wake` event.
public final class Waker: Sendable {
    let readFD: Int32
    let writeFD: Int32

    /// Creates the pipe (both ends non-blocking, close-on-exec).
    public init() throws(CursesError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw CursesError.system("pipe", errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Wakes the UI thread (safe from any thread; never blocks).
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe; returns true when at least one wake was pending.
    func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var any = false
        while read(readFD, &buffer, buffer.count) > 0 { any = true }
        return any
    }
}
