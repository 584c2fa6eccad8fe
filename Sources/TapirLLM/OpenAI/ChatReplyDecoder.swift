import Foundation
import TapirCore

/// Turns an endpoint's answer (a JSON completion or an SSE stream) into a `ChatResponse`,
/// or a typed `LLMError` that names what was wrong.
struct ChatReplyDecoder: Sendable {
    let endpoint: String
    let redactor: Redactor

    struct Reply: Sendable, Hashable {
        var text: String
        var finishReason: FinishReason
        var usage: TokenUsage?
        var model: String?
    }

    /// Whether `response` is server-sent events: by its content type, or (for servers that
    /// omit it) by its body's first line.
    static func isEventStream(_ response: HTTPResponse) -> Bool {
        if response.headers["content-type"]?.contains("text/event-stream") == true { return true }
        return response.body.starts(with: Data("data:".utf8)) || response.body.starts(with: Data(":".utf8))
    }

    func decode(_ response: HTTPResponse) throws -> Reply {
        if Self.isEventStream(response) { return try decodeStream(response) }
        // The usual completion straight from its bytes; anything unusual through the general
        // parser below, which names what is wrong.
        if let body = try? JSONDecoder().decode(CompletionBody.self, from: response.body), let reply = body.reply {
            return reply
        }
        return try decodeGeneral(response)
    }

    /// A JSON completion through the general parser: the reply, or the typed error naming
    /// what is wrong with it.
    func decodeGeneral(_ response: HTTPResponse) throws -> Reply {
        let json = try parseJSON(response)
        if let error = json["error"] {
            throw LLMError.http(endpoint: endpoint, status: response.status,
                                message: redactor.redact(Self.errorMessage(error) ?? "error object in a success reply"),
                                snippet: redactor.snippet(of: response.body))
        }
        guard let choices = json["choices"] else { throw invalid(response, "missing field `choices`") }
        guard let first = choices[0] else { throw invalid(response, "empty `choices`") }
        guard let message = first["message"] else { throw invalid(response, "missing field `choices[0].message`") }
        let text: String
        switch message["content"] {
        case .string(let content)?: text = content
        case .null?:
            // Some servers put everything into a separate reasoning field and leave content null.
            text = message["reasoning_content"]?.string ?? ""
        default: throw invalid(response, "missing field `choices[0].message.content`")
        }
        return Reply(text: text, finishReason: Self.finishReason(first["finish_reason"]?.string),
                     usage: Self.usage(json["usage"]), model: json["model"]?.string)
    }

    private func decodeStream(_ response: HTTPResponse) throws -> Reply {
        let stream = StreamingReplyDecoder(endpoint: endpoint, redactor: redactor)
        stream.feed(response.body)
        return try stream.finish(response)
    }

    /// Parses a JSON body, naming HTML pages and truncated JSON distinctly.
    func parseJSON(_ response: HTTPResponse) throws -> JSONValue {
        let body = response.body
        let firstByte = body.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) })
        if firstByte == UInt8(ascii: "<") { throw invalid(response, "an HTML page instead of JSON") }
        if body.isEmpty { throw invalid(response, "an empty body") }
        do {
            return try JSONValue.parse(data: body)
        } catch {
            let reason = firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[")
                ? "truncated or malformed JSON" : "a body that is not JSON"
            throw invalid(response, reason)
        }
    }

    func invalid(_ response: HTTPResponse, _ reason: String) -> LLMError {
        .invalidResponse(endpoint: endpoint, status: response.status, reason: reason,
                         snippet: redactor.snippet(of: response.body))
    }

    /// The error for a non-2xx status: the server's own message where it gave one.
    func httpError(_ response: HTTPResponse) -> LLMError {
        var message = Self.reasonPhrase(response.status)
        if let json = try? JSONValue.parse(data: response.body),
           let found = Self.errorMessage(json["error"] ?? json["detail"] ?? json["message"] ?? .null) {
            message = found
        }
        return .http(endpoint: endpoint, status: response.status, message: redactor.redact(message),
                     snippet: redactor.snippet(of: response.body))
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: return "bad request"
        case 401: return "unauthorized (check the API key variable)"
        case 403: return "forbidden"
        case 404: return "not found (check base_url and model)"
        case 408: return "request timeout"
        case 409: return "conflict"
        case 413: return "request too large"
        case 422: return "unprocessable request"
        case 429: return "rate limited"
        case 500: return "internal server error"
        case 502: return "bad gateway"
        case 503: return "service unavailable"
        case 504: return "gateway timeout"
        default: return "unexpected status"
        }
    }

    static func errorMessage(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .object: return value["message"]?.string ?? value["detail"]?.string ?? value["msg"]?.string
        case .array(let items): return items.first.flatMap(errorMessage)
        default: return nil
        }
    }

    static func usage(_ value: JSONValue?) -> TokenUsage? {
        guard let value, let prompt = value["prompt_tokens"]?.number else { return nil }
        return TokenUsage(promptTokens: Int(prompt), completionTokens: Int(value["completion_tokens"]?.number ?? 0))
    }

    static func finishReason(_ text: String?) -> FinishReason {
        switch text {
        case "stop", "eos", "end_turn": return .stop
        case "length", "max_tokens": return .length
        case "content_filter": return .contentFilter
        default: return .other
        }
    }
}
