import Foundation
import TapirCore

/// Builds the JSON body of `POST /chat/completions` and the cache key of a request.
struct ChatRequestEncoder: Sendable {
    let baseURL: String
    let model: String
    let defaultTemperature: Double
    let defaultMaxTokens: Int
    /// Extra body fields, already parsed from their JSON text.
    let extraBody: [String: JSONValue]

    /// The body fields that decide the answer (everything but streaming options).
    func answerFields(_ request: ChatRequest) -> [String: JSONValue] {
        let sampling = request.sampling
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.map {
                .object(["role": .string($0.role.rawValue), "content": .string($0.content)])
            }),
            "temperature": .number(sampling.temperature ?? defaultTemperature),
            "max_tokens": .number(Double(sampling.maxTokens ?? defaultMaxTokens)),
        ]
        if let topP = sampling.topP { body["top_p"] = .number(topP) }
        if let topK = sampling.topK { body["top_k"] = .number(Double(topK)) }
        if let seed = sampling.seed { body["seed"] = .number(Double(seed)) }
        if !sampling.stop.isEmpty { body["stop"] = .array(sampling.stop.map { .string($0) }) }
        if let penalty = sampling.repetitionPenalty { body["repetition_penalty"] = .number(penalty) }
        if sampling.jsonMode { body["response_format"] = .object(["type": .string("json_object")]) }
        for (key, value) in extraBody { body[key] = value }
        return body
    }

    /// The request body as sent; `stream` asks for server-sent events with a usage chunk.
    func body(_ request: ChatRequest, stream: Bool) -> Data {
        var body = answerFields(request)
        if stream {
            body["stream"] = .bool(true)
            body["stream_options"] = .object(["include_usage": .bool(true)])
        }
        return Data(JSONValue.object(body).serializedBytes())
    }

    /// SHA-256 over the endpoint and the canonical (sorted-key) answer fields.
    func hash(_ request: ChatRequest) -> String {
        hash(canonical: JSONValue.object(answerFields(request)).serializedBytes())
    }

    /// The hash of a request whose canonical answer fields are `canonical`
    /// (`JSONValue.object(answerFields(request)).serializedBytes()`).
    func hash(canonical: [UInt8]) -> String {
        var hasher = SHA256()
        hasher.update("tapir-call-v1\n\(baseURL)\n".utf8)
        hasher.update(canonical)
        return SHA256.hex(hasher.finalize())
    }

    /// The request's hash and its non-streamed body, from one serialisation (the body of a
    /// non-streamed completion is exactly the canonical answer fields).
    func prepare(_ request: ChatRequest) -> (hash: String, body: Data) {
        let canonical = JSONValue.object(answerFields(request)).serializedBytes()
        return (hash(canonical: canonical), Data(canonical))
    }

    /// Rough prompt+completion token estimate for the rate limiter: 4 characters per token.
    func estimatedTokens(_ request: ChatRequest) -> Int {
        let characters = request.messages.reduce(0) { $0 + $1.content.count + 8 }
        return characters / 4 + (request.sampling.maxTokens ?? defaultMaxTokens)
    }
}
