import Testing
@testable import TapirLLM

@Suite struct AnswerTagTests {
    @Test func extractsTrimmedContent() throws {
        #expect(try AnswerTagExtractor.extract(from: "The task is arithmetic.\n<answer> Math </answer>") == "Math")
    }

    @Test func isCaseInsensitiveAndTakesTheLastTag() throws {
        let reply = "I must reply with <answer>Category</answer>. Final: <ANSWER>Code Debug</ANSWER>"
        #expect(try AnswerTagExtractor.extract(from: reply) == "Code Debug")
    }

    @Test func keepsNonASCIIContent() throws {
        #expect(try AnswerTagExtractor.extract(from: "Ünïcödé <answer>Écriture</answer>") == "Écriture")
    }

    @Test func reportsMissingUnclosedAndEmptyTags() {
        #expect(throws: ReplyParseError.self) { try AnswerTagExtractor.extract(from: "Math") }
        do {
            _ = try AnswerTagExtractor.extract(from: "<answer>Math")
            Issue.record("expected a parse error")
        } catch let error as ReplyParseError {
            #expect(error.reason.contains("never closed"))
            #expect(error.expected == .answerTag)
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: ReplyParseError.self) { try AnswerTagExtractor.extract(from: "<answer>  </answer>") }
    }
}

@Suite struct ScorePairTests {
    @Test(arguments: [
        ("Assistant 1: 7, Assistant 2: 4\nAssistant 1 was more detailed.", 7.0, 4.0),
        ("Both are fine.\n[[8, 3]]", 8.0, 3.0),
        ("7 4\nThe first answer is better because ...", 7.0, 4.0),
        ("9, 6.5\nrationale", 9.0, 6.5),
        (#"```json\n{"scores": [5, 10], "reason": "B is complete"}\n```"#, 5.0, 10.0),
        ("Here: {\"scores\": [2, 9]}", 2.0, 9.0),
        ("**Assistant A**: 6\n**Assistant B**: 8", 6.0, 8.0),
    ])
    func parsesCommonFormats(reply: String, first: Double, second: Double) throws {
        let reply = reply.replacingOccurrences(of: "\\n", with: "\n")
        let pair = try ScorePairExtractor.extract(from: reply)
        #expect(pair.0 == first)
        #expect(pair.1 == second)
    }

    @Test func rejectsOutOfRangeAndMissingScores() {
        #expect(throws: ReplyParseError.self) { try ScorePairExtractor.extract(from: "[[11, 4]]") }
        #expect(throws: ReplyParseError.self) { try ScorePairExtractor.extract(from: "Both answers are good.") }
        #expect(throws: ReplyParseError.self) { try ScorePairExtractor.extract(from: "The answer 7 is right.\nmore") }
    }
}

@Suite struct JSONObjectTests {
    @Test func findsObjectInProse() throws {
        let value = try JSONObjectExtractor.extract(from: #"Sure! Here it is: {"instruction": "Sum {a} and b", "n": 2} Hope it helps."#)
        #expect(value["instruction"]?.string == "Sum {a} and b")
        #expect(value["n"]?.number == 2)
    }

    @Test func prefersFencedBlock() throws {
        let reply = "Example {not json}\n```json\n{\"ok\": true, \"items\": [1, 2]}\n```\n"
        let value = try JSONObjectExtractor.extract(from: reply)
        #expect(value["ok"] == .bool(true))
        #expect(value["items"]?.array?.count == 2)
    }

    @Test func reportsTruncatedAndMissingObjects() {
        do {
            _ = try JSONObjectExtractor.extract(from: #"{"instruction": "Write a poem", "#)
            Issue.record("expected a parse error")
        } catch let error as ReplyParseError {
            #expect(error.reason.contains("not closed"))
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: ReplyParseError.self) { try JSONObjectExtractor.extract(from: "no json here") }
        #expect(throws: ReplyParseError.self) { try JSONObjectExtractor.extract(from: "{this is: not json}") }
    }
}
