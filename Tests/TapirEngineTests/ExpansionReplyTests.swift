import Testing
@testable import TapirEngine

/// How an expand reply is read: tags first, then leniently, as small models write them.
@Suite struct ExpansionReplyTests {
    @Test func taggedRepliesAreReadFromTheirTags() {
        #expect(ExpansionReply.parse("Here it is.\n<instruction> Count the primes below 50. </instruction>")
            == ExpansionReply(text: "Count the primes below 50.", tagged: true))
    }

    @Test func untaggedRepliesAreReadLeniently() {
        // The 135M demo teacher imitates the prompt's data blocks (a real reply of it).
        #expect(ExpansionReply.parse("<<<EXAMPLE\nA bat and a ball together cost $1.10. How much does the ball cost?\n\n<<<EXAMPLE\nA snail climbs")
            == ExpansionReply(text: "A bat and a ball together cost $1.10. How much does the ball cost?", tagged: false))
        // A fence line copied in part ends the paragraph (a real reply of the demo teacher).
        #expect(ExpansionReply.parse("How many integers leave a remainder of 1 when divided by 7?\n>>")
            == ExpansionReply(text: "How many integers leave a remainder of 1 when divided by 7?", tagged: false))
        // An opened tag the reply ran out of tokens to close.
        #expect(ExpansionReply.parse("<instruction>Explain why the sky is blue\nin two sentences")
            == ExpansionReply(text: "Explain why the sky is blue\nin two sentences", tagged: false))
        // A preamble line naming the instruction is left out; the paragraph ends at a blank line.
        #expect(ExpansionReply.parse("Here is a new instruction:\nList three uses of copper.\n\nI hope this helps!")
            == ExpansionReply(text: "List three uses of copper.", tagged: false))
        // A line ending in a colon that is part of the instruction stays.
        #expect(ExpansionReply.parse("Complete the sentence:\nThe capital of France is")
            == ExpansionReply(text: "Complete the sentence:\nThe capital of France is", tagged: false))
    }

    @Test func repliesWithoutAnInstructionAreNone() {
        #expect(ExpansionReply.parse("") == nil)
        #expect(ExpansionReply.parse("<<<EXAMPLE\n>>>\n\n") == nil)
        #expect(ExpansionReply.parse("<instruction></instruction>") == nil)
        #expect(ExpansionReply.parse(String(repeating: "word ", count: 400)) == nil)
    }
}
