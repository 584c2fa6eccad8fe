import CCurl
import Foundation

/// Drives every HTTP transfer of the process through one libcurl multi handle owned by a
/// single dedicated thread.
///
/// Callers on any thread or task submit requests through a lock-protected queue and wake
/// the loop with `curl_multi_wakeup`; the loop resumes each caller's continuation when its
/// transfer finishes. Cancelling the calling task removes its transfer at the next loop
/// turn. The multi handle lives as long as the loop, so connections (and DNS lookups) are
/// reused across requests, and HTTP/2 connections are multiplexed.
public final class CurlEventLoop: @unchecked Sendable {
    /// The process-wide loop every `OpenAIClient` uses by default.
    public static let shared = CurlEventLoop()

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    // Guarded by `lock`.
    private var pendingAdds: [CurlTransfer] = []
    private var pendingCancels: [CurlTransfer] = []
    private var idleHandles: [UnsafeMutableRawPointer] = []
    // Owned by the loop thread.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    /// - Parameter maxConnectionsPerHost: 0 means unlimited; excess transfers queue inside libcurl.
    public init(maxConnectionsPerHost: Int = 0, maxCachedConnections: Int = 256) {
        Self.globalInit
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: libcurl is unusable") }
        self.multi = multi
        _ = tapir_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        _ = tapir_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCachedConnections)
        _ = tapir_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        // The thread keeps the loop alive: a loop lives as long as the process.
        let thread = Thread { self.run() }
        thread.name = "tapir-curl"
        thread.start()
    }

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Performs `request` and returns the response, whatever its status code.
    /// Throws `TransportError` when no complete response arrived and `CancellationError`
    /// when the calling task is cancelled.
    ///
    /// - Parameter onBody: told each piece of a success (2xx) body as it arrives, on the
    ///   loop thread (keep it short); the returned response still holds the whole body.
    public func perform(_ request: HTTPRequest, onBody: (@Sendable (Data) -> Void)? = nil) async throws -> HTTPResponse {
        let easy = try takeHandle()
        let transfer: CurlTransfer
        do {
            transfer = try CurlTransfer(request: request, easy: easy, bodySink: onBody)
        } catch {
            returnHandle(easy)
            throw error
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                lock.lock()
                if transfer.cancelRequested {
                    lock.unlock()
                    transfer.release()
                    returnHandle(transfer.easy)
                    continuation.resume(throwing: CancellationError())
                    return
                }
                transfer.continuation = continuation
                pendingAdds.append(transfer)
                lock.unlock()
                curl_multi_wakeup(multi)
            }
        } onCancel: {
            lock.lock()
            transfer.cancelRequested = true
            let submitted = transfer.continuation != nil
            if submitted { pendingCancels.append(transfer) }
            lock.unlock()
            if submitted { curl_multi_wakeup(multi) }
        }
    }

    private func takeHandle() throws -> UnsafeMutableRawPointer {
        lock.lock()
        let reused = idleHandles.popLast()
        lock.unlock()
        if let reused { return reused }
        guard let easy = curl_easy_init() else {
            throw TransportError(kind: .other, code: -1, message: "curl_easy_init failed")
        }
        return easy
    }

    private func returnHandle(_ easy: UnsafeMutableRawPointer) {
        curl_easy_reset(easy)
        lock.lock()
        if idleHandles.count < 256 {
            idleHandles.append(easy)
            lock.unlock()
        } else {
            lock.unlock()
            curl_easy_cleanup(easy)
        }
    }

    // MARK: loop thread

    private func run() {
        var running: Int32 = 0
        while true {
            drainQueues()
            curl_multi_perform(multi, &running)
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard tapir_msg_is_done(message) != 0, let easy = tapir_msg_easy(message) else { continue }
                finish(easy: easy, code: tapir_msg_result(message))
            }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }

    private func drainQueues() {
        lock.lock()
        let adds = pendingAdds
        let cancels = pendingCancels
        pendingAdds.removeAll(keepingCapacity: true)
        pendingCancels.removeAll(keepingCapacity: true)
        lock.unlock()
        for transfer in adds {
            active[transfer.easy] = transfer
            let code = curl_multi_add_handle(multi, transfer.easy)
            if code != CURLM_OK {
                active[transfer.easy] = nil
                complete(transfer, with: .failure(TransportError(
                    kind: .other, code: Int(code.rawValue), message: String(cString: curl_multi_strerror(code)))))
            }
        }
        for transfer in cancels where active[transfer.easy] === transfer {
            curl_multi_remove_handle(multi, transfer.easy)
            active[transfer.easy] = nil
            complete(transfer, with: .failure(CancellationError()))
        }
    }

    private func finish(easy: UnsafeMutableRawPointer, code: CURLcode) {
        guard let transfer = active.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        if code == CURLE_OK {
            var status = 0
            _ = tapir_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            complete(transfer, with: .success(HTTPResponse(
                status: status, headers: transfer.responseHeaders, body: transfer.responseBody)))
        } else {
            complete(transfer, with: .failure(transfer.transportError(for: code)))
        }
    }

    private func complete(_ transfer: CurlTransfer, with result: Result<HTTPResponse, Error>) {
        lock.lock()
        let continuation = transfer.continuation
        transfer.continuation = nil
        lock.unlock()
        transfer.release()
        returnHandle(transfer.easy)
        continuation?.resume(with: result)
    }
}
