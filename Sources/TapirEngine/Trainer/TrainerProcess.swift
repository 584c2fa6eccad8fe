import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `/bin/sh -c COMMAND` subprocess in its own process group, its stdout and stderr read
/// line by line on two threads. Cancelling the awaiting task ends the whole group:
/// SIGTERM, then SIGKILL after `gracePeriod`.
final class TrainerProcess: @unchecked Sendable {
    enum Stream: Sendable { case stdout, stderr }

    private let process = Process()
    private let gracePeriod: Double
    private let lock = NSLock()
    private var exitStatus: Int32?
    private var exitWaiter: CheckedContinuation<Int32, Never>?
    private var readersLeft = 2
    private var readersWaiter: CheckedContinuation<Void, Never>?

    init(command: String, workingDirectory: URL, environment: [String: String], gracePeriod: Double) {
        self.gracePeriod = gracePeriod
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = workingDirectory
        process.environment = environment
    }

    /// Starts the command, hands its process group to `onStart` (to be recorded), feeds every
    /// output line to `onLine`, and returns its exit status (128 + signal number when a signal
    /// ended it). Throws `CancellationError` when the task was cancelled, after the whole
    /// group has ended (SIGTERM, SIGKILL after the grace period) and the output is drained.
    func run(onStart: @Sendable (TrainerProcessGroup) async -> Void = { _ in },
             onLine: @escaping @Sendable (String, Stream) -> Void) async throws -> Int32 {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.terminationHandler = { [weak self] finished in
            let status = finished.terminationReason == .uncaughtSignal ? 128 + finished.terminationStatus : finished.terminationStatus
            self?.exited(status)
        }
        try process.run()
        let pid = process.processIdentifier
        if getpgid(pid) != pid { _ = setpgid(pid, pid) }
        let group = TrainerProcessGroup.of(pid: pid)
        watchExit(pid)
        // The parent's copies of the write ends must close, or the readers never see EOF.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        startReader(out.fileHandleForReading, stream: .stdout, onLine: onLine)
        startReader(err.fileHandleForReading, stream: .stderr, onLine: onLine)
        await onStart(group)

        let status = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                lock.lock()
                if let status = exitStatus {
                    lock.unlock()
                    continuation.resume(returning: status)
                } else {
                    exitWaiter = continuation
                    lock.unlock()
                }
            }
        } onCancel: {
            self.terminateGroup()
        }
        // Output still buffered in the pipes arrives before we report; a detached grandchild
        // that keeps the pipes open gets the grace period, then the group is killed.
        let drained = Task { await self.readersDone() }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(self.gracePeriod))
            self.signalGroup(SIGKILL)
        }
        await drained.value
        watchdog.cancel()
        if Task.isCancelled {
            // The shell may be gone while processes it started ignore SIGTERM: the engine
            // may exit right after this, so the group must be ended before returning.
            await group.waitUntilEnded(within: gracePeriod)
            if group.isAlive { signalGroup(SIGKILL) }
            await group.waitUntilEnded(within: 2)
            throw CancellationError()
        }
        return status
    }

    /// SIGTERM to the group now, SIGKILL to it after the grace period.
    func terminateGroup() {
        signalGroup(SIGTERM)
        let grace = gracePeriod
        Thread.detachNewThread { [self] in
            Thread.sleep(forTimeInterval: grace)
            signalGroup(SIGKILL)
        }
    }

    private func signalGroup(_ signal: Int32) {
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
    }

    /// Foundation on Linux learns of the exit only when every descendant has closed a
    /// descriptor it inherited, so a leftover background child would hide the exit. This
    /// thread waits for the exit itself without reaping the child (`WNOWAIT`), leaving the
    /// reaping to Foundation.
    private func watchExit(_ pid: pid_t) {
        #if os(Linux)
        Thread.detachNewThread { [self] in
            var info = siginfo_t()
            while true {
                if waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0 {
                    let status = info._sifields._sigchld.si_status
                    exited(Int(info.si_code) == Int(CLD_EXITED) ? status : 128 + status)
                    return
                }
                if errno != EINTR { return }  // already reaped: the termination handler reports it
            }
        }
        #endif
    }

    private func exited(_ status: Int32) {
        lock.lock()
        if exitStatus != nil {
            lock.unlock()
            return
        }
        exitStatus = status
        let waiter = exitWaiter
        exitWaiter = nil
        lock.unlock()
        waiter?.resume(returning: status)
    }

    private func readerFinished() {
        lock.lock()
        readersLeft -= 1
        let waiter = readersLeft == 0 ? readersWaiter : nil
        if waiter != nil { readersWaiter = nil }
        lock.unlock()
        waiter?.resume()
    }

    private func readersDone() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if readersLeft == 0 {
                lock.unlock()
                continuation.resume()
            } else {
                readersWaiter = continuation
                lock.unlock()
            }
        }
    }

    /// Reads `handle` to EOF on its own thread, splitting on `\n` and `\r` (progress bars).
    private func startReader(_ handle: FileHandle, stream: Stream, onLine: @escaping @Sendable (String, Stream) -> Void) {
        let thread = Thread { [self] in
            var pending = [UInt8]()
            func emit() {
                if !pending.isEmpty {
                    onLine(String(decoding: pending, as: UTF8.self), stream)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            var buffer = [UInt8](repeating: 0, count: 16_384)
            let fd = handle.fileDescriptor
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                for byte in buffer[0..<count] {
                    if byte == 0x0A || byte == 0x0D { emit() } else { pending.append(byte) }
                }
                if pending.count > 65_536 { emit() }
            }
            emit()
            try? handle.close()
            readerFinished()
        }
        thread.name = "tapir-trainer-\(stream)"
        thread.start()
    }
}
