import Foundation
#if canImport(Glibc)
import Glibc
private let streamSocket = Int32(SOCK_STREAM.rawValue)
#else
import Darwin
private let streamSocket = SOCK_STREAM
#endif

/// One request and its reply's fate, as the server saw them.
public struct Exchange: Sendable {
    public var request: RecordedRequest
    /// When the whole request had arrived.
    public var received: Date
    /// When the complete reply had been handed to the socket; nil if it never was (the client
    /// went away first, or the script dropped the connection).
    public var answered: Date?
}

/// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) over POSIX sockets, one thread per
/// connection, keep-alive, answering each request as its handler scripts. It counts
/// requests, connections and requests in flight, for tests and benchmarks.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (RecordedRequest) -> ScriptedResponse

    /// The bound port.
    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let recordRequests: Bool
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var connectionCount = 0
    private var recorded: [RecordedRequest] = []
    private var exchangeLog: [Exchange] = []
    private var requestTotal = 0
    private var current = 0
    private var peak = 0
    private var stopped = false

    /// Starts listening at once. - Parameter recordRequests: keep every request (tests); off for benchmarks.
    public init(port: Int = 0, recordRequests: Bool = true, handler: @escaping Handler) throws {
        signal(SIGPIPE, SIG_IGN)
        let fd = socket(AF_INET, streamSocket, 0)
        guard fd >= 0 else { throw ServerError("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1024) == 0 else {
            close(fd)
            throw ServerError("bind/listen on 127.0.0.1:\(port) failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = fd
        self.handler = handler
        self.recordRequests = recordRequests
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-accept"
        thread.start()
    }

    /// A script that answers requests in order from `responses`, then with `fallback`.
    public convenience init(script responses: [ScriptedResponse], fallback: ScriptedResponse = .text("script exhausted", status: 599)) throws {
        let queue = ResponseQueue(responses)
        try self.init { _ in queue.next() ?? fallback }
    }

    /// `http://127.0.0.1:<port>/v1`
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    /// Requests received so far, in arrival order.
    public var requests: [RecordedRequest] { lock.withLock { recorded } }
    /// Every request with when it arrived and when its reply was completely written (kept
    /// only when recording requests), in arrival order.
    public var exchanges: [Exchange] { lock.withLock { exchangeLog } }
    /// Number of requests received.
    public var requestCount: Int { lock.withLock { requestTotal } }
    /// The largest number of requests that were being answered at the same time.
    public var maxInFlight: Int { lock.withLock { peak } }
    /// Number of TCP connections accepted.
    public var connectionsAccepted: Int { lock.withLock { connectionCount } }

    /// Stops accepting and closes every connection.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        // Idempotent: closing a descriptor twice could close a socket reused by someone else.
        guard !stopped else { return }
        stopped = true
        // Only shut down here: the accept thread closes the listener itself, so that it never
        // calls accept() on a descriptor number that was closed and reused by another socket.
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR, !lock.withLock({ stopped }) { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let index: Int? = lock.withLock {
                if stopped { return nil }
                connections.append(fd)
                connectionCount += 1
                return connectionCount - 1
            }
            guard let index else { close(fd); return }
            let thread = Thread { [self] in serve(fd, connection: index) }
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer {
            lock.withLock { connections.removeAll { $0 == fd } }
            close(fd)
        }
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read until a full request (head + Content-Length body) is buffered.
            var request: (RecordedRequest, Int)?
            while true {
                if let parsed = Self.parse(buffer, connection: connection) { request = parsed; break }
                let count = recv(fd, &chunk, chunk.count, 0)
                if count <= 0 { return }
                buffer.append(contentsOf: chunk[0..<count])
            }
            guard let (recordedRequest, consumed) = request else { return }
            buffer.removeSubrange(buffer.startIndex..<(buffer.startIndex + consumed))
            let slot: Int = lock.withLock {
                requestTotal += 1
                current += 1
                peak = max(peak, current)
                guard recordRequests else { return -1 }
                recorded.append(recordedRequest)
                exchangeLog.append(Exchange(request: recordedRequest, received: Date(), answered: nil))
                return exchangeLog.count - 1
            }
            let (keepOpen, written) = respond(fd, to: recordedRequest)
            lock.withLock {
                current -= 1
                if written, slot >= 0 { exchangeLog[slot].answered = Date() }
            }
            if !keepOpen { return }
        }
    }

    /// Writes the scripted response; returns whether the connection stays open and whether a
    /// complete reply was written.
    private func respond(_ fd: Int32, to request: RecordedRequest) -> (keepOpen: Bool, written: Bool) {
        let response = handler(request)
        let keepOpen = transmit(response, to: fd)
        switch response {
        case .reply, .eventStream: return (keepOpen, keepOpen)
        case .cutEventStream, .dropMidBody, .close: return (false, false)
        }
    }

    private func transmit(_ response: ScriptedResponse, to fd: Int32) -> Bool {
        switch response {
        case .reply(let status, let headers, let body, let delay):
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "\r\n"
            var data = Data(head.utf8)
            data.append(body)
            return write(fd, data)
        case .eventStream(let events, let interval), .cutEventStream(let events, let interval):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"
            guard write(fd, Data(head.utf8)) else { return false }
            for event in events {
                if interval > 0 { Thread.sleep(forTimeInterval: interval) }
                let payload = Data("data: \(event)\n\n".utf8)
                var chunk = Data((String(payload.count, radix: 16) + "\r\n").utf8)
                chunk.append(payload)
                chunk.append(Data("\r\n".utf8))
                guard write(fd, chunk) else { return false }
            }
            if case .cutEventStream = response { return false }
            return write(fd, Data("0\r\n\r\n".utf8))
        case .dropMidBody(let status, let body, let sentBytes):
            var data = Data("HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
            data.append(body.prefix(sentBytes))
            _ = write(fd, data)
            return false
        case .close:
            return false
        }
    }

    private func write(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    /// A complete request at the start of `buffer` and the bytes it spans, or nil if more is needed.
    static func parse(_ buffer: Data, connection: Int) -> (RecordedRequest, Int)? {
        guard let headEnd = buffer.firstRange(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd.upperBound
        guard buffer.endIndex - bodyStart >= length else { return nil }
        let body = Data(buffer[bodyStart..<(bodyStart + length)])
        let request = RecordedRequest(
            method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers, body: body, connection: connection)
        return (request, bodyStart + length - buffer.startIndex)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}
