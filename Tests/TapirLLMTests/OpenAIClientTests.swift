import Foundation
import Testing
import TapirCore
import TapirTestSupport
@testable import TapirLLM

@Suite struct OpenAIClientRequestTests {
    @Test func sendsTheOpenAIBodyAndParsesTheReply() async throws {
        let server = try LoopbackHTTPServer(script: [.completion("Paris.", model: "served-model", promptTokens: 1000, completionTokens: 500)])
        defer { server.stop() }
        let config = roleConfig(server, apiKeyEnv: "TEST_KEY", priceIn: 2, priceOut: 8, extraBody: ["reasoning_effort": "\"low\"", "top_k": "20"])
        let model = try client(config, environment: ["TEST_KEY": "sk-test-abcdefghijkl"])
        let sampling = SamplingParameters(temperature: 0.7, topP: 0.9, maxTokens: 32, seed: 42, stop: ["\n\n"], jsonMode: true)
        let response = try await model.complete(ChatRequest(messages: [.system("Be brief."), .user("Capital of France?")], sampling: sampling))

        #expect(response.text == "Paris.")
        #expect(response.model == "served-model")
        #expect(response.finishReason == .stop)
        #expect(response.usage == TokenUsage(promptTokens: 1000, completionTokens: 500))
        #expect(abs(response.cost - (1000 * 2 + 500 * 8) / 1_000_000) < 1e-12)
        #expect(!response.cached)

        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer sk-test-abcdefghijkl")
        let body = try JSONValue.parse(data: request.body)
        #expect(body["model"]?.string == "test-model")
        #expect(body["messages"]?.array?.count == 2)
        #expect(body["messages"]?[0]?["role"]?.string == "system")
        #expect(body["messages"]?[1]?["content"]?.string == "Capital of France?")
        #expect(body["temperature"]?.number == 0.7)
        #expect(body["top_p"]?.number == 0.9)
        #expect(body["max_tokens"]?.number == 32)
        #expect(body["seed"]?.number == 42)
        #expect(body["stop"]?.array == [.string("\n\n")])
        #expect(body["response_format"]?["type"]?.string == "json_object")
        #expect(body["reasoning_effort"]?.string == "low")
        #expect(body["top_k"]?.number == 20)
        #expect(body["stream"] == nil)
    }

    @Test func roleDefaultsFillUnsetSampling() async throws {
        let server = try LoopbackHTTPServer(script: [.completion("ok")])
        defer { server.stop() }
        _ = try await client(roleConfig(server)).complete(ask("hi"))
        let body = try JSONValue.parse(data: try #require(server.requests.first).body)
        #expect(body["temperature"]?.number == 0.2)
        #expect(body["max_tokens"]?.number == 64)
        #expect(body["top_p"] == nil)
        #expect(server.requests.first?.headers["authorization"] == nil)
    }

    @Test func missingKeyNamesTheVariable() throws {
        let config = RoleConfig(provider: .openai, baseURL: "http://127.0.0.1:9/v1", model: "m", apiKeyEnv: "TAPIR_TEST_UNSET_KEY")
        #expect(throws: LLMError.missingAPIKey(variable: "TAPIR_TEST_UNSET_KEY")) {
            try OpenAIClient(role: .judge, config: config, environment: [:])
        }
        #expect(throws: LLMError.missingSetting(key: "base_url", role: "judge")) {
            try OpenAIClient(role: .judge, config: RoleConfig(provider: .openai, model: "m"), environment: [:])
        }
    }

    @Test func listsModels() async throws {
        let server = try LoopbackHTTPServer(script: [.json(#"{"object":"list","data":[{"id":"a"},{"id":"test-model"}]}"#)])
        defer { server.stop() }
        #expect(try await client(roleConfig(server)).listModels() == ["a", "test-model"])
        #expect(server.requests.first?.method == "GET")
        #expect(server.requests.first?.path == "/v1/models")
    }

    @Test func reusesOneConnection() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("ok") }
        defer { server.stop() }
        let model = try client(roleConfig(server))
        for index in 0..<10 { _ = try await model.complete(ask("q\(index)")) }
        #expect(server.requestCount == 10)
        #expect(server.connectionsAccepted == 1)
    }

    @Test func streamsServerSentEvents() async throws {
        let server = try LoopbackHTTPServer(script: [.completionStream(["Hel", "lo", " world"], promptTokens: 7, completionTokens: 3, interval: 0.01)])
        defer { server.stop() }
        let response = try await client(roleConfig(server, stream: true)).complete(ask("greet"))
        #expect(response.text == "Hello world")
        #expect(response.usage == TokenUsage(promptTokens: 7, completionTokens: 3))
        #expect(response.finishReason == .stop)
        let body = try JSONValue.parse(data: try #require(server.requests.first).body)
        #expect(body["stream"] == .bool(true))
        #expect(body["stream_options"]?["include_usage"] == .bool(true))
        #expect(server.requests.first?.headers["accept"] == "text/event-stream")
    }

    @Test func aStreamCutShortIsAnError() async throws {
        let server = try LoopbackHTTPServer(script: [.completionStream(["partial"], done: false)])
        defer { server.stop() }
        let error = await llmError { _ = try await client(roleConfig(server, maxAttempts: 1, stream: true)).complete(ask("x")) }
        guard case .invalidResponse(_, 200, let reason, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.contains("[DONE]"))
    }
}

@Suite struct OpenAIClientErrorTests {
    @Test func htmlErrorPageNamesEndpointStatusAndSnippet() async throws {
        let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx upstream down</h1></body></html>"
        let server = try LoopbackHTTPServer(script: [.text(page, status: 502)])
        defer { server.stop() }
        let error = try #require(await llmError { _ = try await client(roleConfig(server, maxAttempts: 1)).complete(ask("x")) })
        #expect(error.status == 502)
        #expect(error.description.contains(server.baseURL))
        #expect(error.description.contains("502"))
        #expect(error.description.contains("nginx upstream down"))
    }

    @Test func htmlWithSuccessStatusIsAnInvalidResponse() async throws {
        let server = try LoopbackHTTPServer(script: [.text("<!doctype html><p>captive portal</p>", status: 200)])
        defer { server.stop() }
        let error = await llmError { _ = try await client(roleConfig(server, maxAttempts: 1)).complete(ask("x")) }
        guard case .invalidResponse(let endpoint, 200, let reason, let snippet)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(endpoint == server.baseURL)
        #expect(reason.contains("HTML"))
        #expect(snippet.contains("captive portal"))
    }

    @Test(arguments: [
        (#"{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"trunc"#, "truncated"),
        (#"{"id":"x","object":"chat.completion"}"#, "missing field `choices`"),
        (#"{"id":"x","choices":[]}"#, "empty `choices`"),
        (#"{"choices":[{"index":0,"finish_reason":"stop"}]}"#, "missing field `choices[0].message`"),
    ])
    func malformedBodiesAreTyped(body: String, expected: String) async throws {
        let server = try LoopbackHTTPServer(script: [.json(body)])
        defer { server.stop() }
        let error = await llmError { _ = try await client(roleConfig(server, maxAttempts: 1)).complete(ask("x")) }
        guard case .invalidResponse(_, 200, let reason, let snippet)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason.contains(expected))
        #expect(!snippet.isEmpty)
    }

    @Test func connectionRefusedIsATransportError() async throws {
        let refusing = try RefusingPort()
        var config = RoleConfig(provider: .openai, baseURL: refusing.baseURL, model: "m", maxAttempts: 1)
        config.connectTimeoutSeconds = 2
        let error = await llmError { _ = try await client(config).complete(ask("x")) }
        guard case .transport(let endpoint, .connect, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(endpoint == config.baseURL)
    }

    @Test func slowReplyTimesOut() async throws {
        let server = try LoopbackHTTPServer(script: [.completion("late", delay: 3)])
        defer { server.stop() }
        let (error, seconds) = await timed {
            await llmError { _ = try await client(roleConfig(server, maxAttempts: 1, timeout: 0.4)).complete(ask("x")) }
        }
        guard case .transport(_, .timeout, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(seconds >= 0.35 && seconds < 2.5)
    }

    @Test func otherClientErrorsFailAtOnceWithTheServerMessage() async throws {
        let server = try LoopbackHTTPServer { _ in
            .json(#"{"error":{"message":"This model's maximum context length is 4096 tokens","type":"invalid_request_error"}}"#, status: 400)
        }
        defer { server.stop() }
        let error = await llmError { _ = try await client(roleConfig(server, maxAttempts: 5)).complete(ask("x")) }
        guard case .http(_, 400, let message, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.contains("maximum context length"))
        #expect(server.requestCount == 1)
    }
}

@Suite struct MalformedConfigTests {
    @Test func unusableURLFailsWithoutRetrying() async throws {
        let config = RoleConfig(provider: .openai, baseURL: "htp:/not a url", model: "m", maxAttempts: 3)
        let model = try OpenAIClient(role: .teacher, config: config, environment: [:], retryPolicy: fastRetry)
        let (error, seconds) = await timed { await llmError { _ = try await model.complete(ask("x")) } }
        guard case .transport(let endpoint, _, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(endpoint == "htp:/not a url")
        #expect(error?.isRetryable == false)
        // Fails at once instead of hanging; "no retry" is what isRetryable == false asserts.
        #expect(seconds < 5)
    }
}

@Suite struct OpenAICompatibleEndpointTests {
    @Test func repliesFromTheConversation() async throws {
        let server = try LoopbackHTTPServer.openAICompatible { messages in
            "echo: " + (messages.last?.content ?? "") + " (\(messages.count) messages)"
        }
        defer { server.stop() }
        let model = try client(roleConfig(server))
        let response = try await model.complete(ChatRequest(messages: [.system("s"), .user("ping")]))
        #expect(response.text == "echo: ping (2 messages)")
        #expect(response.usage.completionTokens == "echo: ping (2 messages)".count / 4)
        #expect(try await model.listModels() == ["test-model"])
    }
}
