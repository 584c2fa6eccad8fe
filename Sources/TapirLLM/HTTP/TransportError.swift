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
