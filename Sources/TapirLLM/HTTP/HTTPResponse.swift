import Foundation

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
