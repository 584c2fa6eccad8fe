import Testing
@testable import TapirCore

@Suite struct JudgeVerdictTests {
    @Test func mfdAveragesBothOrders() throws {
        // Teacher first: teacher 8, student 4. Student first: student 6, teacher 7.
        let verdict = JudgeVerdict(teacherFirstReply: (8, 4), studentFirstReply: (6, 7))
        #expect(verdict.studentFirst == JudgeScores(teacher: 7, student: 6))
        let mfd = try #require(verdict.difficulty)
        #expect(mfd.meanTeacherScore == 7.5)
        #expect(mfd.meanStudentScore == 5)
        #expect(mfd.value == 2.5)
        #expect(mfd.orderCount == 2)
        // Gaps 4 and 1: consistency 1 − 3/18.
        #expect(abs(try #require(mfd.consistency) - (1 - 3.0 / 18)) < 1e-12)
        #expect(mfd.ordersAgreeOnWinner == true)
    }

    @Test func disagreementAndSingleOrder() throws {
        let opposed = try #require(JudgeVerdict(teacherFirstReply: (10, 1), studentFirstReply: (10, 1)).difficulty)
        #expect(opposed.value == 0)
        #expect(opposed.consistency == 0)
        #expect(opposed.ordersAgreeOnWinner == false)

        let tie = try #require(JudgeVerdict(teacherFirstReply: (5, 5), studentFirstReply: (6, 7)).difficulty)
        #expect(tie.ordersAgreeOnWinner == false)

        let single = try #require(JudgeVerdict(teacherFirst: nil, studentFirst: JudgeScores(teacher: 9, student: 3)).difficulty)
        #expect(single.value == 6 && single.orderCount == 1 && single.consistency == nil && single.ordersAgreeOnWinner == nil)
        #expect(JudgeVerdict(teacherFirst: nil, studentFirst: nil).difficulty == nil)
    }

    @Test func signalsPickTheConfiguredMeasure() {
        let likelihood = ResponseLikelihood(tokenCount: 10, meanNLL: 2.0, unconditionalMeanNLL: 2.5)
        let signals = DifficultySignals(
            verdict: JudgeVerdict(teacherFirstReply: (9, 3), studentFirstReply: nil), likelihood: likelihood)
        #expect(signals.value(for: .judge) == 6)
        #expect(signals.value(for: .nll) == 2.0)
        #expect(abs(signals.value(for: .ifd)! - Foundation.exp(-0.5)) < 1e-12)
        #expect(DifficultySignals().value(for: .judge) == nil)
        #expect(DifficultySignals(likelihood: ResponseLikelihood(tokenCount: 0, meanNLL: 0, unconditionalMeanNLL: 0)).value(for: .ifd) == nil)
        #expect(DifficultySignals(likelihood: ResponseLikelihood(tokenCount: 3, meanNLL: .infinity, unconditionalMeanNLL: 1)).value(for: .nll) == nil)
    }
}

import Foundation
