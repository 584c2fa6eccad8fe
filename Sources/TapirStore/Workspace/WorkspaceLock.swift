#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// "Only one engine per workspace": an exclusive `flock` on the workspace's lock file.
///
/// The kernel drops the lock when the holder exits, so a crashed engine never keeps it.
/// The holder writes its process id into the file so a refused engine can say who holds it.
/// The lock is released by `release()` or when the value is deinitialised.
public final class WorkspaceLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock without waiting; throws `WorkspaceError.locked` when another process
    /// (or another `WorkspaceLock` in this process) holds it.
    public static func acquire(at url: URL) throws(WorkspaceError) -> WorkspaceLock {
        let path = url.path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .lockFailed(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buffer, 63, 0)
            close(fd)
            if code == EWOULDBLOCK {
                let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown process"
                throw .locked(path: path, holder: holder)
            }
            throw .lockFailed(path: path, reason: String(cString: strerror(code)))
        }
        let note = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, note, note.count, 0)
        return WorkspaceLock(path: path, descriptor: fd)
    }

    /// Releases the lock now (also done on deinit).
    public func release() {
        _ = flock(descriptor, LOCK_UN)
    }

    deinit {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
