import Foundation

/// A thread-safe FIFO of scripted responses.
public final class ResponseQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var responses: [ScriptedResponse]

    public init(_ responses: [ScriptedResponse]) { self.responses = responses }

    /// The next response, or nil when the script is used up.
    public func next() -> ScriptedResponse? {
        lock.withLock { responses.isEmpty ? nil : responses.removeFirst() }
    }
}
