import Foundation
import Testing
@testable import TapirLLM

@Suite struct WireFormatTests {
    @Test func serverSentEventsSplitAcrossChunks() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Data("data: {\"a\"".utf8)).isEmpty)
        #expect(parser.feed(Data(":1}\r\n\r\n: comment\n\ndata: line1\ndata: line2\n\n".utf8)) == ["{\"a\":1}", "line1\nline2"])
        #expect(parser.feed(Data("data: [DONE]".utf8)).isEmpty)
        #expect(parser.finish() == ["[DONE]"])
    }

    @Test func jsonSerialisationIsCanonical() throws {
        let value = try JSONValue.parse(#"{"b": [1, 2.5, true, null], "a": "x\"\n\u0001"}"#)
        #expect(value.serialized() == #"{"a":"x\"\n\u0001","b":[1,2.5,true,null]}"#)
    }

    @Test func goStyleDurations() {
        #expect(RetryPolicy.parseDuration("1s") == 1)
        #expect(RetryPolicy.parseDuration("20ms") == 0.02)
        #expect(RetryPolicy.parseDuration("6m0s") == 360)
        #expect(RetryPolicy.parseDuration("1h2m3.5s") == 3723.5)
        #expect(RetryPolicy.parseDuration("2.5") == 2.5)
        #expect(RetryPolicy.parseDuration("soon") == nil)
    }

    @Test func serverDelayHeaders() {
        #expect(RetryPolicy.serverDelay(headers: ["retry-after": "3"]) == 3)
        #expect(RetryPolicy.serverDelay(headers: ["retry-after-ms": "250", "retry-after": "1"]) == 0.25)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let date = RetryPolicy.serverDelay(headers: ["retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"], now: now)
        #expect(date == 10)
        let exhausted = ["x-ratelimit-remaining-requests": "5", "x-ratelimit-reset-requests": "2s",
                         "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "750ms"]
        #expect(RetryPolicy.serverDelay(headers: exhausted) == 0.75)
        #expect(RetryPolicy.serverDelay(headers: [:]) == nil)
    }

    @Test func backoffGrowsWithinJitterBounds() {
        let policy = RetryPolicy(baseDelay: 1, maxDelay: 5)
        for attempt in 1...5 {
            let delay = policy.delay(afterAttempt: attempt, serverDelay: nil)
            let nominal = min(5, pow(2, Double(attempt - 1)))
            #expect(delay >= nominal * 0.5 && delay <= nominal)
        }
        #expect(policy.delay(afterAttempt: 1, serverDelay: 400) <= 330)
    }

    @Test func redactorHidesKeysAndAuthorization() {
        let redactor = Redactor(secrets: ["my-gateway-token-123"])
        let text = #"{"headers": {"Authorization": "Bearer abcdefghijkl", "x-api-key": "zzzzzzzz"}, "t": "my-gateway-token-123", "k": "sk-proj-ABCDEFGHIJKLMN"}"#
        let redacted = redactor.redact(text)
        for secret in ["abcdefghijkl", "zzzzzzzz", "my-gateway-token-123", "sk-proj-ABCDEFGHIJKLMN"] {
            #expect(!redacted.contains(secret), "\(secret) leaked: \(redacted)")
        }
        #expect(redacted.contains("Authorization"))
        #expect(redactor.redact("authorization: Basic dXNlcjpwYXNz") == "authorization: [REDACTED]")
    }
}
