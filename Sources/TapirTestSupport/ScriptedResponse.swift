import Foundation

/// What the loopback server does with one request.
public enum ScriptedResponse: Sendable {
    /// A complete response after `delay` seconds.
    case reply(status: Int, headers: [String: String], body: Data, delay: Double)
    /// A chunked `text/event-stream` response: each event is sent as `data: …\n\n`, `interval` seconds apart.
    case eventStream(events: [String], interval: Double)
    /// Like `eventStream`, but closes the connection after the last event without ending the
    /// chunked body: a stream cut mid-way.
    case cutEventStream(events: [String], interval: Double)
    /// Announces the full body's length, sends only its first `sentBytes` bytes, then closes the connection.
    case dropMidBody(status: Int, body: Data, sentBytes: Int)
    /// Closes the connection without answering.
    case close

    /// A JSON reply.
    public static func json(_ text: String, status: Int = 200, headers: [String: String] = [:], delay: Double = 0) -> ScriptedResponse {
        var all = ["Content-Type": "application/json"]
        all.merge(headers) { $1 }
        return .reply(status: status, headers: all, body: Data(text.utf8), delay: delay)
    }

    /// A plain or HTML reply.
    public static func text(_ text: String, status: Int, contentType: String = "text/html", headers: [String: String] = [:]) -> ScriptedResponse {
        var all = ["Content-Type": contentType]
        all.merge(headers) { $1 }
        return .reply(status: status, headers: all, body: Data(text.utf8), delay: 0)
    }

    /// An OpenAI-style chat completion whose message is `content`.
    public static func completion(
        _ content: String, model: String = "test-model", promptTokens: Int = 10, completionTokens: Int = 5,
        finishReason: String = "stop", delay: Double = 0
    ) -> ScriptedResponse {
        json(completionJSON(content, model: model, promptTokens: promptTokens, completionTokens: completionTokens,
                            finishReason: finishReason), delay: delay)
    }

    /// The JSON text of an OpenAI-style chat completion.
    public static func completionJSON(
        _ content: String, model: String = "test-model", promptTokens: Int = 10, completionTokens: Int = 5,
        finishReason: String = "stop"
    ) -> String {
        let escaped = String(data: try! JSONSerialization.data(withJSONObject: [content], options: [.fragmentsAllowed]), encoding: .utf8)!
        let contentJSON = String(escaped.dropFirst().dropLast())
        return #"{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":\#(contentJSON)},"finish_reason":"\#(finishReason)"}],"usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"total_tokens":\#(promptTokens + completionTokens)}}"#
    }

    /// An OpenAI-style streamed completion of `pieces`, ending with a usage chunk and `[DONE]`.
    /// With `cut`, the connection closes after the pieces (no finish, usage or `[DONE]`).
    public static func completionStream(_ pieces: [String], model: String = "test-model", promptTokens: Int = 10,
                                        completionTokens: Int = 5, interval: Double = 0, done: Bool = true,
                                        cut: Bool = false) -> ScriptedResponse {
        func quoted(_ text: String) -> String {
            let data = try! JSONSerialization.data(withJSONObject: [text], options: [])
            return String(String(data: data, encoding: .utf8)!.dropFirst().dropLast())
        }
        var events = pieces.map {
            #"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{"content":\#(quoted($0))},"finish_reason":null}]}"#
        }
        if cut { return .cutEventStream(events: events, interval: interval) }
        if done {
            events.append(#"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#)
            events.append(#"{"id":"c1","object":"chat.completion.chunk","model":"\#(model)","choices":[],"usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(completionTokens),"total_tokens":\#(promptTokens + completionTokens)}}"#)
            events.append("[DONE]")
        }
        return .eventStream(events: events, interval: interval)
    }
}
