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
