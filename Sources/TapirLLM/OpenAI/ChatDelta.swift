import TapirCore

/// One element of a streamed reply.
public enum ChatDelta: Sendable, Equatable {
    /// The next piece of the reply's text, handed on as soon as the endpoint sent it.
    case text(String)
    /// The whole reply (text, usage, finish reason, latency, cost) after the last piece.
    case finished(ChatResponse)
}
