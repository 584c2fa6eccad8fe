import Foundation
import TapirCore

/// Decodes an OpenAI-style `text/event-stream` reply piece by piece as it arrives: each
/// content delta is handed to `onText` at once, and `finish` returns the whole reply (or the
/// typed error the stream amounted to). Fed on the event loop's thread, finished on the
/// caller's; the lock orders the two.
final class StreamingReplyDecoder: @unchecked Sendable {
    private let endpoint: String
    private let redactor: Redactor
    private let onText: (@Sendable (String) -> Void)?
    private let lock = NSLock()
    // Guarded by `lock`.
    private var parser = ServerSentEventParser()
    private var text = ""
    private var finish: String?
    private var usage: TokenUsage?
    private var model: String?
    private var done = false
    private var failure: String?
    private var errorMessage: String?
    private var deliveredText = false

    init(endpoint: String, redactor: Redactor, onText: (@Sendable (String) -> Void)? = nil) {
        self.endpoint = endpoint
        self.redactor = redactor
        self.onText = onText
    }

    /// Whether any text reached `onText` (a failed attempt after that cannot be retried unseen).
    var hasDeliveredText: Bool { lock.withLock { deliveredText } }

    /// Feeds the next bytes of the body.
    func feed(_ bytes: Data) {
        let pieces: [String] = lock.withLock {
            handle(parser.feed(bytes))
        }
        for piece in pieces { onText?(piece) }
    }

    /// The reply once the body is complete; `response` is the whole response (for snippets).
    func finish(_ response: HTTPResponse) throws -> ChatReplyDecoder.Reply {
        let pieces: [String] = lock.withLock { handle(parser.finish()) }
        for piece in pieces { onText?(piece) }
        return try lock.withLock {
            if let failure {
                throw LLMError.invalidResponse(endpoint: endpoint, status: response.status, reason: failure,
                                               snippet: redactor.snippet(of: response.body))
            }
            if let errorMessage {
                throw LLMError.http(endpoint: endpoint, status: response.status, message: redactor.redact(errorMessage),
                                    snippet: redactor.snippet(of: response.body))
            }
            guard done || finish != nil else {
                throw LLMError.invalidResponse(endpoint: endpoint, status: response.status,
                                               reason: "the stream ended before `[DONE]`",
                                               snippet: redactor.snippet(of: response.body))
            }
            return ChatReplyDecoder.Reply(text: text, finishReason: ChatReplyDecoder.finishReason(finish),
                                          usage: usage, model: model)
        }
    }

    /// Applies complete events (under the lock); returns the new text pieces to hand out.
    private func handle(_ events: [String]) -> [String] {
        var pieces: [String] = []
        for event in events {
            guard !done, failure == nil, errorMessage == nil else { break }
            if event == "[DONE]" { done = true; break }
            guard let chunk = try? JSONValue.parse(event) else {
                failure = "malformed stream event `\(redactor.redact(String(event.prefix(80))))`"
                break
            }
            if let error = chunk["error"] {
                errorMessage = ChatReplyDecoder.errorMessage(error) ?? "error event in the stream"
                break
            }
            model = chunk["model"]?.string ?? model
            if let reported = ChatReplyDecoder.usage(chunk["usage"]) { usage = reported }
            if let choice = chunk["choices"]?[0] {
                if let delta = choice["delta"]?["content"]?.string, !delta.isEmpty {
                    text += delta
                    pieces.append(delta)
                }
                if let reason = choice["finish_reason"]?.string { finish = reason }
            }
        }
        if onText != nil, !pieces.isEmpty { deliveredText = true }
        return pieces
    }
}
