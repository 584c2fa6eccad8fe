import Foundation

/// A chat message as the loopback endpoint received it.
public struct ReceivedMessage: Sendable, Hashable {
    public var role: String
    public var content: String
}

extension LoopbackHTTPServer {
    /// An OpenAI-compatible endpoint for engine and CLI tests: `GET /v1/models` lists
    /// `models`; `POST /v1/chat/completions` answers with `reply(messages)` (usage counted
    /// as four characters per token). Anything else gets a JSON 404.
    public static func openAICompatible(
        models: [String] = ["test-model"],
        reply: @escaping @Sendable (_ messages: [ReceivedMessage]) -> String
    ) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            switch (request.method, request.path) {
            case ("GET", "/v1/models"):
                let list = models.map { #"{"id":\#(quoted($0)),"object":"model"}"# }.joined(separator: ",")
                return .json(#"{"object":"list","data":[\#(list)]}"#)
            case ("POST", "/v1/chat/completions"):
                guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                      let rawMessages = body["messages"] as? [[String: Any]] else {
                    return .json(#"{"error":{"message":"body is not a chat completion request"}}"#, status: 400)
                }
                let messages = rawMessages.map {
                    ReceivedMessage(role: $0["role"] as? String ?? "", content: $0["content"] as? String ?? "")
                }
                let text = reply(messages)
                let promptCharacters = messages.reduce(0) { $0 + $1.content.count }
                return .completion(text, model: body["model"] as? String ?? "test-model",
                                   promptTokens: max(1, promptCharacters / 4), completionTokens: max(1, text.count / 4))
            default:
                return .json(#"{"error":{"message":"no route \#(request.method) \#(request.path)"}}"#, status: 404)
            }
        }
    }
}

private func quoted(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text])
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}
