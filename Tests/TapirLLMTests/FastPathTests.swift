import Foundation
import Testing
import TapirCore
import TapirStore
import TapirTestSupport
@testable import TapirLLM

/// The call path's shortcuts give what the general code gives.
@Suite struct FastPathTests {
    static let bodies: [String] = [
        #"{"id":"x","model":"m1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello \"world\"\n\u00e9\ud83d\ude00"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":9,"total_tokens":21}}"#,
        #"{"choices":[{"message":{"content":"no usage"},"finish_reason":"length"}]}"#,
        #"{"choices":[{"message":{"content":null,"reasoning_content":"thoughts"},"finish_reason":"eos"}],"usage":{"prompt_tokens":3}}"#,
        #"{"choices":[{"message":{"content":null},"finish_reason":null}],"usage":{"prompt_tokens":3.9,"completion_tokens":2.2}}"#,
        #"{"choices":[{"message":{"content":"x"},"finish_reason":7}],"usage":{"prompt_tokens":"12"},"model":5}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":null,"model":null}"#,
        #"{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":true,"completion_tokens":1}}"#,
        #"{"choices":[{"message":{"content":"a"}},{"message":"odd"}]}"#,
        #"{"choices":[{"message":{"content":["part"]}}]}"#,
        #"{"choices":[{"message":{"role":"assistant"}}]}"#,
        #"{"choices":[{"finish_reason":"stop"}]}"#,
        #"{"choices":[]}"#,
        #"{"choices":{"0":1}}"#,
        #"{"object":"list"}"#,
        #"{"error":{"message":"overloaded"},"choices":[{"message":{"content":"x"}}]}"#,
        #"{"error":null,"choices":[{"message":{"content":"x"}}]}"#,
        #"[{"choices":[]}]"#,
        #"{"choices":[{"message":{"content":"truncated"#,
        "<html>busy</html>",
        "",
    ]

    @Test(arguments: bodies)
    func repliesDecodeAsTheGeneralParserDecodesThem(_ body: String) {
        let decoder = ChatReplyDecoder(endpoint: "http://127.0.0.1:1/v1", redactor: Redactor(secrets: []))
        let response = HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: Data(body.utf8))
        func outcome(_ body: () throws -> ChatReplyDecoder.Reply) -> String {
            do { return "reply \(try body())" } catch { return "error \(error)" }
        }
        #expect(outcome { try decoder.decode(response) } == outcome { try decoder.decodeGeneral(response) })
    }

    @Test func aPreparedRequestHasTheRequestHashAndTheBodyAsSent() throws {
        let server = try LoopbackHTTPServer { _ in .completion("ok") }
        defer { server.stop() }
        let client = try client(roleConfig(server, extraBody: ["seed": "7", "note": "plain text"]))
        var sampling = SamplingParameters(temperature: 0.3, maxTokens: 20)
        sampling.stop = ["\n\n"]
        let request = ChatRequest(messages: [.system("Be brief."), .user("Quote \"this\" — é\n\ttab")], sampling: sampling)
        let prepared = client.prepare(request)
        #expect(prepared.hash == client.requestHash(for: request))
        let encoder = ChatRequestEncoder(baseURL: client.endpoint, model: client.model, defaultTemperature: 0.2, defaultMaxTokens: 64,
                                         extraBody: ["seed": .number(7), "note": .string("plain text")])
        #expect(prepared.encoded == encoder.body(request, stream: false))
        #expect(prepared.hash == encoder.hash(request))
        // The hash is the one earlier versions stored: SHA-256 of the prefix and the canonical JSON.
        #expect(prepared.hash == SHA256.hexDigest(of: "tapir-call-v1\n\(client.endpoint)\n"
            + JSONValue.object(encoder.answerFields(request)).serialized()))
    }

    @Test func aPreparedCallSendsTheSameBytes() async throws {
        let server = try LoopbackHTTPServer { _ in .completion("ok") }
        defer { server.stop() }
        let client = try client(roleConfig(server))
        let request = ask("Name a colour.")
        _ = try await client.complete(request)
        _ = try await client.complete(client.prepare(request))
        let bodies = server.requests.map(\.body)
        #expect(bodies.count == 2 && bodies[0] == bodies[1])
    }
}
