import Foundation

/// One request as the loopback server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data
    /// Which accepted connection carried it (0-based), to observe connection reuse.
    public var connection: Int

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
