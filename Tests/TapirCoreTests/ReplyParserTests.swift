import Testing
@testable import TapirCore

@Suite struct ReplyParserTests {
    @Test func judgeScoresInCommonShapes() throws {
        let plain = try ReplyParser.judgeScores("8 5\nAssistant 1 is correct; 2 is not.")
        #expect(plain.first == 8 && plain.second == 5 && plain.rationale == "Assistant 1 is correct; 2 is not.")
        #expect(try ReplyParser.judgeScores("\n  7, 3  \n").first == 7)
        #expect(try ReplyParser.judgeScores("**9** 6.5").second == 6.5)
        #expect(try ReplyParser.judgeScores("8/10 4/10").second == 4)
        #expect(try ReplyParser.judgeScores("Assistant 1: 10 Assistant 2: 1").first == 10)
    }

    @Test func judgeGarbageIsAnError() {
        for reply in ["", "I think both are good.", "8", "8 5 3", "0 5", "11 4", "Scores: 12 and 3"] {
            #expect(throws: ReplyParseError.self) { try ReplyParser.judgeScores(reply) }
        }
    }

    @Test func categoryMatchesTaxonomyOrFallsBack() {
        let taxonomy = TaskTaxonomy.tapirDefault
        #expect(ReplyParser.category("Sure! <answer>code debug</answer>", taxonomy: taxonomy) == ("Code Debug", true))
        #expect(ReplyParser.category(" Math.\n", taxonomy: taxonomy) == ("Math", true))
        #expect(ReplyParser.category("<answer>Astrology</answer>", taxonomy: taxonomy) == ("Others", false))
    }

    @Test func instructionTags() throws {
        #expect(try ReplyParser.instruction("Here:\n<instruction>\n Prove that √2 is irrational.\n</instruction>") == "Prove that √2 is irrational.")
        #expect(try ReplyParser.instruction("<instruction>Cut off mid") == "Cut off mid")
        #expect(throws: ReplyParseError.self) { try ReplyParser.instruction("no tags at all") }
        #expect(throws: ReplyParseError.self) { try ReplyParser.instruction("<instruction>  </instruction>") }
    }
}
