import CCurl
import Foundation

/// The state of one transfer while the event loop runs it: the configured easy handle,
/// its request header list and the response as it arrives. Callbacks run on the loop thread.
final class CurlTransfer: @unchecked Sendable {
    /// Responses larger than this abort the transfer (a misbehaving endpoint must not exhaust memory).
    static let maxResponseBytes = 64 << 20

    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    // Guarded by the loop's lock.
    var continuation: CheckedContinuation<HTTPResponse, Error>?
    var cancelRequested = false
    // Loop thread only.
    var responseBody = Data()
    var responseHeaders: [String: String] = [:]
    var overflowed = false
    /// The status of the response being received (from its status line), 0 before it.
    var status = 0
    /// Told each piece of a 2xx body as it arrives (loop thread), besides collecting it.
    let bodySink: (@Sendable (Data) -> Void)?

    init(request: HTTPRequest, easy: UnsafeMutableRawPointer, bodySink: (@Sendable (Data) -> Void)? = nil) throws {
        self.easy = easy
        self.bodySink = bodySink
        let selfPointer = Unmanaged.passUnretained(self).toOpaque()
        func check(_ code: CURLcode, _ what: String) throws {
            guard code == CURLE_OK else {
                throw TransportError(kind: .other, code: Int(code.rawValue),
                                     message: "\(what): \(String(cString: curl_easy_strerror(code)))")
            }
        }
        try check(tapir_easy_setopt_string(easy, CURLOPT_URL, request.url), "invalid URL")
        _ = tapir_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = tapir_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        _ = tapir_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = tapir_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = tapir_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = tapir_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(max(0.001, request.timeout) * 1000))
        _ = tapir_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(max(0.001, request.connectTimeout) * 1000))
        errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = tapir_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, buffer.baseAddress)
        }
        switch request.method {
        case .get:
            _ = tapir_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case .post:
            let body = request.body ?? Data()
            _ = tapir_easy_setopt_long(easy, CURLOPT_POSTFIELDSIZE_LARGE, body.count)
            body.withUnsafeBytes { raw in
                _ = tapir_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)))
            }
        }
        // An empty `Expect:` stops libcurl from waiting for `100 Continue` on large bodies.
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for header in request.headers {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        headerList = list
        _ = tapir_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        _ = tapir_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, selfPointer)
        _ = tapir_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            if transfer.responseBody.count + length > CurlTransfer.maxResponseBytes {
                transfer.overflowed = true
                return 0
            }
            guard let data, length > 0 else { return length }
            let bytes = UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self)
            transfer.responseBody.append(bytes, count: length)
            if let sink = transfer.bodySink, (200..<300).contains(transfer.status) {
                sink(Data(bytes: bytes, count: length))
            }
            return length
        }
        _ = tapir_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, selfPointer)
        _ = tapir_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(user!).takeUnretainedValue()
            let length = size * count
            guard let data else { return length }
            transfer.receivedHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
            return length
        }
    }

    /// One header line as libcurl hands it over (with its line end), parsed on its bytes: it
    /// runs on the loop thread for every header of every response.
    func receivedHeaderLine(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            // A new status line (after 100 Continue or a redirect) starts a fresh header block.
            responseHeaders.removeAll()
            let parts = String(decoding: line, as: UTF8.self).split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = Self.trimmed(line[..<colon])
        let value = Self.trimmed(line[(colon + 1)...])
        if name.allSatisfy({ $0 < 0x80 }) {
            // Header names are ASCII tokens: lower-cased byte by byte.
            responseHeaders[String(decoding: name.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }, as: UTF8.self)] =
                String(decoding: value, as: UTF8.self)
        } else {
            responseHeaders[String(decoding: name, as: UTF8.self).lowercased()] = String(decoding: value, as: UTF8.self)
        }
    }

    /// `bytes` without leading and trailing spaces, tabs and line ends.
    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0d || byte == 0x0a }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// Classifies a failed transfer.
    func transportError(for code: CURLcode) -> TransportError {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: TransportError.Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
             CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            kind = .connect
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2,
             CURLE_HTTP2_STREAM:
            kind = .dropped
        case CURLE_WRITE_ERROR where overflowed:
            return TransportError(kind: .other, code: Int(code.rawValue),
                                  message: "response larger than \(CurlTransfer.maxResponseBytes >> 20) MiB")
        default:
            kind = .other
        }
        return TransportError(kind: kind, code: Int(code.rawValue), message: message)
    }

    /// Frees the header list; the easy handle goes back to the loop's pool.
    func release() {
        tapir_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, nil)
        curl_slist_free_all(headerList)
        headerList = nil
    }
}
