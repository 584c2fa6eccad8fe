import Foundation

/// One HTTP request handed to the `CurlEventLoop`.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var method: Method
    public var url: String
    /// Header lines as name/value pairs, sent in order.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Whole-transfer timeout in seconds.
    public var timeout: Double
    /// Connection-phase timeout in seconds.
    public var connectTimeout: Double

    public init(
        method: Method, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
        timeout: Double = 120, connectTimeout: Double = 10
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// A complete HTTP response as received.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased; for repeated headers the last value wins.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A request that produced no HTTP response: the connection failed, timed out or broke.
public struct TransportError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Host not found, connection refused, TLS handshake failed.
        case connect
        /// The connect or whole-request timeout elapsed.
        case timeout
        /// The connection closed or broke before the response was complete.
        case dropped
        /// Anything else libcurl reported.
        case other
    }

    public var kind: Kind
    /// libcurl's error code (`CURLcode`).
    public var code: Int
    /// libcurl's description of the failure.
    public var message: String

    public init(kind: Kind, code: Int, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }
}
